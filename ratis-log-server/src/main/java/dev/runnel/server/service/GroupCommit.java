package dev.runnel.server.service;

import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendCommand;
import dev.runnel.proto.internal.AppendResult;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionReply;
import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Group commit across produce requests. Each Raft entry costs every replica a fixed amount of work
 * (a log write, an append round trip, an apply, a reply, and for acks=all a watch) whatever its size,
 * so a busy group should write few large entries rather than one per request. At most
 * {@code maxInFlight} entries of a group are proposed and not yet committed; appends that arrive
 * meanwhile queue, and when an entry commits the queue goes out as one entry (up to the entry size
 * limit). An idle group proposes at once: nothing waits unless the group is already busy.
 *
 * <p>The queue is first in, first out, and one thread at a time proposes a group's entries, each
 * proposal fixing the entry's place in the log before the next: so an append's place relative to
 * later appends of the same group is fixed once it is queued ({@link #submit} returns), which is
 * what {@link ProposalOrder} needs. Queued work is bounded by the requests in flight
 * ({@code max.inflight.requests}): every queued append belongs to a request still waiting for it,
 * acks=0 ones included (they are answered once proposed).
 */
final class GroupCommit {

  /**
   * What one batch adds to an entry besides its bytes: its partition key and framing (about 35
   * bytes), rounded up. Counted so that an entry of many tiny batches stays within the room Ratis
   * has for the largest entry (max.batch.bytes plus the envelope), not just its batch bytes.
   */
  static final int BATCH_FRAMING_BYTES = 64;

  /** Appends for one group from one request: answered together, with per-batch results. */
  static final class Append {
    final Replica replica;
    final List<AppendBatch> batches;
    final Acks acks;
    final long timeoutMs;
    final long bytes;
    /** Completes once the entry holding these batches has its place in the log (or failed to). */
    final CompletableFuture<Void> proposed = new CompletableFuture<>();
    /** The state machine's results, in batch order; or the entry's failure. */
    final CompletableFuture<List<AppendResult>> results = new CompletableFuture<>();

    Append(Replica replica, List<AppendBatch> batches, Acks acks, long timeoutMs) {
      this.replica = replica;
      this.batches = batches;
      this.acks = acks;
      this.timeoutMs = timeoutMs;
      long b = 0;
      for (AppendBatch a : batches) {
        b += a.getBatch().size() + BATCH_FRAMING_BYTES;
      }
      this.bytes = b;
    }
  }

  private final int maxInFlight;
  private final long maxEntryBytes;
  private final Executor executor;
  private final IntConsumer entrySizes;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  /**
   * @param maxInFlight entries per group proposed and not yet committed before appends queue
   * @param maxEntryBytes most bytes (batches and their framing) merged into one entry; a single
   *     larger append still goes on its own
   * @param executor where a committed entry's callback hands the next proposal, rather than propose
   *     on the Raft thread that committed it
   * @param entrySizes told the number of appends (requests) in each entry proposed
   */
  GroupCommit(int maxInFlight, long maxEntryBytes, Executor executor, IntConsumer entrySizes) {
    this.maxInFlight = maxInFlight;
    this.maxEntryBytes = maxEntryBytes;
    this.executor = executor;
    this.entrySizes = entrySizes;
  }

  /** Queues {@code a} for group {@code groupId}; its place in the group's log order is now fixed. */
  void submit(String groupId, Append a) {
    while (true) {
      Queue q = queues.computeIfAbsent(groupId, Queue::new);
      if (q.offer(a)) {
        return;
      }
      // That queue went idle and was dropped between lookup and offer: take the new one.
    }
  }

  /** Groups with a queue right now (idle groups are dropped); for tests. */
  int activeGroups() {
    return queues.size();
  }

  private final class Queue {
    private final String groupId;
    private final ArrayDeque<Append> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean proposing;
    private boolean retired;

    Queue(String groupId) {
      this.groupId = groupId;
    }

    boolean offer(Append a) {
      synchronized (this) {
        if (retired) {
          return false;
        }
        waiting.add(a);
        if (proposing || inFlight >= maxInFlight) {
          return true;
        }
        proposing = true;
      }
      proposeWaiting();
      return true;
    }

    /** Proposes queued entries while slots are free; only one thread at a time runs this. */
    private void proposeWaiting() {
      while (true) {
        List<Append> entry;
        synchronized (this) {
          if (waiting.isEmpty() || inFlight >= maxInFlight) {
            proposing = false;
            retireIfIdle();
            return;
          }
          entry = takeEntry();
          inFlight++;
        }
        propose(entry);
      }
    }

    /** The head, and the appends after it that share its replica and acks, within the size limit. */
    private List<Append> takeEntry() {
      List<Append> entry = new ArrayList<>();
      Append head = waiting.poll();
      entry.add(head);
      long bytes = head.bytes;
      for (Append next = waiting.peek(); next != null; next = waiting.peek()) {
        if (next.replica != head.replica || next.acks != head.acks || bytes + next.bytes > maxEntryBytes) {
          break;
        }
        entry.add(waiting.poll());
        bytes += next.bytes;
      }
      return entry;
    }

    private void propose(List<Append> entry) {
      Append head = entry.get(0);
      AppendCommand.Builder cmd = AppendCommand.newBuilder();
      long timeoutMs = 0;
      for (Append a : entry) {
        cmd.addAllBatches(a.batches);
        timeoutMs = Math.max(timeoutMs, a.timeoutMs);
      }
      // The slot is freed at commit, not after acks=all's wait for every replica: a slow follower
      // must not hold up the group's other writes. Exactly once, however the proposal ends.
      AtomicBoolean freed = new AtomicBoolean();
      Runnable free = () -> {
        if (freed.compareAndSet(false, true)) {
          completed();
        }
      };
      CompletableFuture<PartitionReply> f;
      try {
        f = head.replica.propose(PartitionCommand.newBuilder().setAppend(cmd).build(), head.acks,
            timeoutMs, free);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      entrySizes.accept(entry.size());
      entry.forEach(a -> a.proposed.complete(null));
      f.whenComplete((reply, t) -> {
        try {
          answer(entry, reply, t);
        } finally {
          free.run(); // normally done at commit already
        }
      });
    }

    private void answer(List<Append> entry, PartitionReply reply, Throwable t) {
      int total = entry.stream().mapToInt(a -> a.batches.size()).sum();
      if (t == null && reply.getResultsCount() != total) {
        t = new ServiceException(ErrorCode.UNKNOWN_SERVER_ERROR, "the state machine answered "
            + reply.getResultsCount() + " results for " + total + " batches");
      }
      int from = 0;
      for (Append a : entry) {
        if (t != null) {
          a.results.completeExceptionally(t);
        } else {
          a.results.complete(reply.getResultsList().subList(from, from + a.batches.size()));
        }
        from += a.batches.size();
      }
    }

    private void completed() {
      synchronized (this) {
        inFlight--;
        if (proposing || waiting.isEmpty()) {
          retireIfIdle();
          return;
        }
        proposing = true;
      }
      try {
        executor.execute(this::proposeWaiting);
      } catch (RejectedExecutionException e) {
        // The broker is shutting down: fail what waits rather than leave it hanging.
        failWaiting(new ServiceException(ErrorCode.BROKER_NOT_AVAILABLE, "broker is shutting down"));
      }
    }

    private void failWaiting(ServiceException e) {
      List<Append> dropped;
      synchronized (this) {
        dropped = new ArrayList<>(waiting);
        waiting.clear();
        proposing = false;
        retireIfIdle();
      }
      for (Append a : dropped) {
        a.proposed.complete(null);
        a.results.completeExceptionally(e);
      }
    }

    /** Called holding the lock: an idle queue leaves the map so deleted groups leave nothing. */
    private void retireIfIdle() {
      if (inFlight == 0 && waiting.isEmpty() && !proposing) {
        retired = true;
        queues.remove(groupId, this);
      }
    }
  }
}
