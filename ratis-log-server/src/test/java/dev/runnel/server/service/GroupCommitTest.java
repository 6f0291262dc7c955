package dev.runnel.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendResult;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionKey;
import dev.runnel.proto.internal.PartitionReply;
import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.storage.PartitionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The queueing rules of group commit, against a replica whose proposals the test completes by hand
 * (the produce tests over real brokers cover the same path end to end).
 */
class GroupCommitTest {

  /** Records each proposed entry; the test answers it. */
  static final class HeldReplica implements Replica {
    final List<PartitionCommand> proposed = new ArrayList<>();
    final List<Acks> acks = new ArrayList<>();
    final List<CompletableFuture<PartitionReply>> replies = new ArrayList<>();

    @Override
    public Optional<PartitionStore> store() {
      return Optional.empty();
    }

    @Override
    public boolean isLeader() {
      return true;
    }

    @Override
    public int leaderId() {
      return 0;
    }

    @Override
    public CompletableFuture<Void> nextAppend() {
      return new CompletableFuture<>();
    }

    final List<Runnable> commits = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<PartitionReply> propose(PartitionCommand command, Acks a,
        long timeoutMs, Runnable committed) {
      proposed.add(command);
      acks.add(a);
      commits.add(committed);
      CompletableFuture<PartitionReply> f = new CompletableFuture<>();
      replies.add(f);
      return f;
    }

    /** Entry {@code i} is committed; for ALL, its answer waits for every replica still. */
    void commit(int i) {
      commits.get(i).run();
    }

    /** Commits and answers entry {@code i}: one OK result per batch, offsets from {@code base}. */
    void succeed(int i, long base) {
      commit(i);
      PartitionReply.Builder r = PartitionReply.newBuilder();
      for (AppendBatch b : proposed.get(i).getAppend().getBatchesList()) {
        r.addResults(AppendResult.newBuilder().setBaseOffset(base++));
      }
      replies.get(i).complete(r.build());
    }

    List<String> batchesOf(int i) {
      List<String> out = new ArrayList<>();
      for (AppendBatch b : proposed.get(i).getAppend().getBatchesList()) {
        out.add(b.getBatch().toStringUtf8());
      }
      return out;
    }
  }

  private final List<Integer> entrySizes = new ArrayList<>();

  private GroupCommit commit(long maxEntryBytes) {
    return new GroupCommit(2, maxEntryBytes, Runnable::run, entrySizes::add);
  }

  private static GroupCommit.Append append(Replica r, Acks acks, String... batches) {
    List<AppendBatch> list = new ArrayList<>();
    for (String b : batches) {
      list.add(AppendBatch.newBuilder().setPartition(PartitionKey.newBuilder()
              .setTopicId(ByteString.copyFrom(new byte[16])).setPartition(Integer.MAX_VALUE))
          .setBatch(ByteString.copyFromUtf8(b)).build());
    }
    return new GroupCommit.Append(r, list, acks, 1000);
  }

  @Test
  void anIdleGroupProposesAtOnceAndABusyOneMergesWhatWaitsIntoTheNextEntry() throws Exception {
    HeldReplica r = new HeldReplica();
    GroupCommit gc = commit(1 << 20);
    GroupCommit.Append a = append(r, Acks.ACKS_ALL, "a");
    GroupCommit.Append b = append(r, Acks.ACKS_ALL, "b1", "b2");
    GroupCommit.Append c = append(r, Acks.ACKS_ALL, "c");
    GroupCommit.Append d = append(r, Acks.ACKS_ALL, "d");
    gc.submit("g", a);
    gc.submit("g", b);
    assertEquals(2, r.proposed.size(), "two entries may be in flight");
    gc.submit("g", c);
    gc.submit("g", d);
    assertEquals(2, r.proposed.size(), "the third and fourth appends wait");
    assertFalse(c.proposed.isDone());

    r.succeed(0, 10);
    assertEquals(List.of(10L), offsets(a));
    assertEquals(3, r.proposed.size(), "a free slot sends everything waiting as one entry");
    assertEquals(List.of("c", "d"), r.batchesOf(2));
    assertTrue(c.proposed.isDone() && d.proposed.isDone());

    r.succeed(1, 11);
    r.succeed(2, 13);
    assertEquals(List.of(11L, 12L), offsets(b));
    assertEquals(List.of(13L), offsets(c), "each append gets its own slice of the results");
    assertEquals(List.of(14L), offsets(d));
    assertEquals(List.of(1, 1, 2), entrySizes);
    assertEquals(0, gc.activeGroups(), "an idle group leaves nothing behind");
  }

  @Test
  void aSlotFreesAtCommitSoAFollowerHoldingUpAcksAllDoesNotHoldUpTheGroup() throws Exception {
    HeldReplica r = new HeldReplica();
    GroupCommit gc = commit(1 << 20);
    GroupCommit.Append a = append(r, Acks.ACKS_ALL, "a");
    gc.submit("g", a);
    gc.submit("g", append(r, Acks.ACKS_ALL, "b"));
    GroupCommit.Append c = append(r, Acks.ACKS_MAJORITY, "c");
    gc.submit("g", c);
    assertEquals(2, r.proposed.size());
    r.commit(0); // committed, still waiting for every replica
    assertFalse(a.results.isDone());
    assertEquals(3, r.proposed.size(), "the waiting append went out at the commit");
    assertTrue(c.proposed.isDone());
    r.succeed(0, 0); // a second release for the same entry must not free another slot
    gc.submit("g", append(r, Acks.ACKS_MAJORITY, "d"));
    gc.submit("g", append(r, Acks.ACKS_MAJORITY, "e"));
    assertEquals(3, r.proposed.size(), "entries 1 and 2 hold both slots");
    assertEquals(List.of(0L), offsets(a));
  }

  @Test
  void entriesStayWithinTheSizeLimitAndDoNotMixAcksOrReplicas() throws Exception {
    HeldReplica r = new HeldReplica();
    HeldReplica other = new HeldReplica();
    // Room for two 2-byte batches with their framing, not three.
    GroupCommit gc = commit(2 * (2 + GroupCommit.BATCH_FRAMING_BYTES));
    gc.submit("g", append(r, Acks.ACKS_ALL, "x"));
    gc.submit("g", append(r, Acks.ACKS_ALL, "y"));
    gc.submit("g", append(r, Acks.ACKS_ALL, "aa"));
    gc.submit("g", append(r, Acks.ACKS_ALL, "bb"));
    gc.submit("g", append(r, Acks.ACKS_ALL, "c"));
    gc.submit("g", append(r, Acks.ACKS_MAJORITY, "m"));
    gc.submit("g", append(other, Acks.ACKS_MAJORITY, "o"));
    GroupCommit.Append big = append(r, Acks.ACKS_MAJORITY, "z".repeat(200));
    gc.submit("g", big);

    for (int i = 0; i < 6; i++) {
      r.succeed(i, 0);
      if (i == 3) {
        other.succeed(0, 0);
      }
    }
    assertEquals(List.of("aa", "bb"), r.batchesOf(2), "two batches' worth at most");
    assertEquals(List.of("c"), r.batchesOf(3), "acks differ from the next append");
    assertEquals(List.of("m"), r.batchesOf(4), "the next append is for another replica");
    assertEquals(List.of("o"), other.batchesOf(0));
    assertEquals(List.of("z".repeat(200)), r.batchesOf(5), "one larger append still goes");
    assertEquals(Acks.ACKS_MAJORITY, r.acks.get(4));
    assertTrue(big.results.isDone());
  }

  @Test
  void manyTinyBatchesMakeEntriesNoLargerThanTheLimitFramingIncluded() {
    HeldReplica r = new HeldReplica();
    int limit = 64 << 10;
    GroupCommit gc = commit(limit);
    for (int i = 0; i < 3_000; i++) {
      gc.submit("g", append(r, Acks.ACKS_MAJORITY, "b" + i));
    }
    for (int i = 0; i < r.proposed.size(); i++) {
      r.succeed(i, 0); // proposes what waits as the slots free
    }
    int batches = 0;
    for (PartitionCommand c : r.proposed) {
      int size = c.getAppend().getSerializedSize();
      assertTrue(size <= limit, "entry of " + size + " bytes, limit " + limit);
      batches += c.getAppend().getBatchesCount();
    }
    assertEquals(3_000, batches);
    assertTrue(r.proposed.size() < 100, r.proposed.size() + " entries for 3,000 appends");
  }

  @Test
  void aFailedEntryFailsEachOfItsAppendsAndTheQueueGoesOn() throws Exception {
    HeldReplica r = new HeldReplica();
    GroupCommit gc = commit(1 << 20);
    gc.submit("g", append(r, Acks.ACKS_ALL, "a"));
    gc.submit("g", append(r, Acks.ACKS_ALL, "b"));
    GroupCommit.Append c = append(r, Acks.ACKS_ALL, "c");
    GroupCommit.Append d = append(r, Acks.ACKS_ALL, "d");
    gc.submit("g", c);
    gc.submit("g", d);
    r.succeed(0, 0);
    r.replies.get(2).completeExceptionally(new ServiceException(ErrorCode.NOT_LEADER, "moved"));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> c.results.get());
    assertEquals(ErrorCode.NOT_LEADER, ((ServiceException) e.getCause()).code());
    assertTrue(d.results.isCompletedExceptionally());

    GroupCommit.Append later = append(r, Acks.ACKS_ALL, "later");
    gc.submit("g", later);
    assertEquals(4, r.proposed.size(), "a slot freed by the failure is used");
    r.succeed(1, 1);
    r.succeed(3, 2);
    assertEquals(List.of(2L), offsets(later));
  }

  @Test
  void aReplyWithTheWrongNumberOfResultsFailsTheAppendsInsteadOfMisassigningOffsets() {
    HeldReplica r = new HeldReplica();
    GroupCommit gc = commit(1 << 20);
    GroupCommit.Append a = append(r, Acks.ACKS_ALL, "a1", "a2");
    gc.submit("g", a);
    r.replies.get(0).complete(
        PartitionReply.newBuilder().addResults(AppendResult.getDefaultInstance()).build());
    assertTrue(a.results.isCompletedExceptionally());
  }

  @Test
  void whenTheBrokerStopsWhatWaitsFailsRatherThanHangs() {
    HeldReplica r = new HeldReplica();
    GroupCommit gc = new GroupCommit(1, 1 << 20, task -> {
      throw new RejectedExecutionException("stopped");
    }, n -> {});
    gc.submit("g", append(r, Acks.ACKS_ALL, "a"));
    GroupCommit.Append waiting = append(r, Acks.ACKS_ALL, "b");
    gc.submit("g", waiting);
    r.succeed(0, 0);
    assertTrue(waiting.proposed.isDone());
    assertTrue(waiting.results.isCompletedExceptionally());
    assertEquals(1, r.proposed.size());
    assertEquals(0, gc.activeGroups());
  }

  private static List<Long> offsets(GroupCommit.Append a) throws Exception {
    List<Long> out = new ArrayList<>();
    for (AppendResult res : a.results.get()) {
      out.add(res.getBaseOffset());
    }
    return out;
  }
}
