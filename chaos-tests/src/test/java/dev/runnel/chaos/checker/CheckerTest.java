package dev.runnel.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.checker.Anomaly.Type;
import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import dev.runnel.chaos.history.PollOp.Polled;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ProduceOp.Outcome;
import dev.runnel.chaos.history.ReplicaRead;
import dev.runnel.chaos.history.ReplicaRead.Stored;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The checker must be able to fail: a clean history passes with the right figures, and each planted
 * anomaly is reported as its type (and only as the types it implies), naming the values and offsets
 * involved.
 */
class CheckerTest {
  /**
   * A clean history: producer p0 writes 'v0'..'v5' with key k, each acknowledged before the next is
   * sent, at t-0@0..5; three replicas hold them; consumer c0 polls them all at 700; a kill at 120.
   */
  static final class Builder {
    final History h = new History(42);
    final List<ProduceOp> ops = new ArrayList<>();
    final List<List<Stored>> replicas = new ArrayList<>();
    final List<PollOp> polls = new ArrayList<>();
    final List<ReplicaRead> extraReads = new ArrayList<>();
    long logStart = 0;

    Builder() {
      for (int i = 0; i < 6; i++) {
        ops.add(ok("v" + i, "k", i * 100L, 0, i));
      }
      for (int r = 0; r < 3; r++) {
        List<Stored> s = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          s.add(new Stored(i, "k", "v" + i));
        }
        replicas.add(s);
      }
    }

    Builder edit(Consumer<Builder> c) {
      c.accept(this);
      return this;
    }

    /** Adds a poll by {@code consumer} at {@code nanos} of records given as "partition@offset=value". */
    Builder poll(String consumer, long nanos, String... records) {
      polls.add(PollOp.poll(consumer, nanos, Arrays.stream(records).map(CheckerTest::polled).toList()));
      return this;
    }

    History build() {
      ops.forEach(h::add);
      for (int r = 0; r < replicas.size(); r++) {
        h.add(new ReplicaRead("t", 0, r, logStart, replicas.get(r), digest(replicas.get(r)), null));
      }
      extraReads.forEach(h::add);
      h.add(PollOp.poll("c0", 700, replicas.get(0).stream()
          .map(s -> new Polled("t", 0, s.offset(), s.key(), s.value())).toList()));
      polls.forEach(h::add);
      h.add(new FaultEvent(120, "kill", "broker 1", "kill -9 broker 1", 80_000_000));
      return h;
    }

    Report check() {
      return Checker.check(build());
    }

    static String digest(List<Stored> s) {
      return Integer.toHexString(s.hashCode());
    }
  }

  /** An acknowledged write invoked at {@code invoke}, completed 50 ns later. */
  static ProduceOp ok(String value, String key, long invoke, int partition, long offset) {
    return new ProduceOp("p0", "t", key, value, invoke, invoke + 50, Outcome.OK, partition, offset, null);
  }

  static ProduceOp unacknowledged(String value, Outcome outcome) {
    return new ProduceOp("p1", "t", null, value, 900, 990, outcome, -1, -1,
        outcome == Outcome.FAIL ? "record too large" : "timeout");
  }

  /** "0@3=v3" → a record of t-0 at offset 3 holding v3. */
  static Polled polled(String spec) {
    String[] a = spec.split("[@=]");
    return new Polled("t", Integer.parseInt(a[0]), Long.parseLong(a[1]), null, a[2]);
  }

  /** At least one anomaly of {@code type} names every one of {@code named}. */
  static void assertFound(Report r, Type type, String... named) {
    assertFalse(r.valid(), r.render());
    assertTrue(r.anomalies().stream().anyMatch(a -> a.type() == type
            && Arrays.stream(named).allMatch(n -> a.message().contains(n))),
        "expected a " + type + " naming " + List.of(named) + " in\n" + r.render());
  }

  /** No anomaly of any other type: a planted fault must not be misreported. */
  static void assertOnly(Report r, Type... types) {
    Set<Type> allowed = Set.of(types);
    assertTrue(r.anomalies().stream().allMatch(a -> allowed.contains(a.type())),
        "expected only " + allowed + " in\n" + r.render());
  }

  @Test
  void aCleanHistoryIsValidWithItsFigures() {
    Report r = new Builder().edit(b -> {
      b.ops.add(unacknowledged("f", Outcome.FAIL));
      b.ops.add(unacknowledged("u", Outcome.UNKNOWN));
      b.replicas.forEach(s -> s.add(new Stored(6, null, "u")));  // an unknown write may be stored once
      b.polls.add(PollOp.seek("c0", 710, 0, 0));
    }).check();
    assertTrue(r.valid(), r.render());
    assertEquals(8, r.operations());
    assertEquals(6, r.acknowledged());
    assertEquals(1, r.failed());
    assertEquals(1, r.unknown());
    assertEquals(1, r.polls(), "a seek is not a poll");
    assertEquals(21, r.recordsRead());
    assertEquals(1, r.faults());
    assertTrue(r.render().startsWith("VALID (seed 42)"), r.render());
    assertTrue(r.render().contains("operations 8: acknowledged 6, failed 1, unknown 1; polls 1; records read 21"),
        r.render());
  }

  @Test
  void recoveryFiguresPerFaultKind() {
    History h = new Builder().build();
    // Kills at 120 (first write after: sent 200, acknowledged 250), 5_000_000 and 9_000_000 (none).
    h.add(new FaultEvent(5_000_000, "kill", "broker 2", "", 1_000_000_000));
    h.add(new ProduceOp("p0", "t", null, "late", 6_000_000, 9_000_000, Outcome.UNKNOWN, -1, -1, "timeout"));
    h.add(new ProduceOp("p0", "t", null, "w", 8_000_000, 12_000_000, Outcome.OK, 0, 6, null));
    h.add(new FaultEvent(7_000_000, "kill", "broker 0", "", 3_000_000_000L));
    h.add(new FaultEvent(9_000_000, "heal", "all", "", -1));
    Report r = Checker.check(h);
    assertEquals(3, r.faults(), "heals are not faults");
    // First acknowledged write after each kill: 130 ns, 7 ms (5 → 12), 5 ms (7 → 12).
    assertArrayEquals(new long[] {0, 5, 7}, r.recoveryMillis().get("kill"));
    assertArrayEquals(new long[] {80, 1000, 3000}, r.leaderMillis().get("kill"));
    assertTrue(r.render().contains("min 80 ms, median 1000 ms, max 3000 ms"), r.render());
  }

  @Test
  void lostWrite() {
    Report r = new Builder().edit(b -> b.replicas.forEach(s -> s.remove(5))).check();
    assertFound(r, Type.LOST_WRITE, "'v5'", "t-0@5");
    assertOnly(r, Type.LOST_WRITE);
  }

  @Test
  void writesBelowTheLogStartWereTrimmedNotLost() {
    Report r = new Builder().edit(b -> {
      b.logStart = 2;
      b.replicas.forEach(s -> s.subList(0, 2).clear());
    }).check();
    assertTrue(r.valid(), r.render());
    // The write at the log start itself is not exempt.
    r = new Builder().edit(b -> {
      b.logStart = 2;
      b.replicas.forEach(s -> s.subList(0, 3).clear());
    }).check();
    assertFound(r, Type.LOST_WRITE, "'v2'", "t-0@2");
    assertEquals(1, r.count(Type.LOST_WRITE), r.render());
  }

  @Test
  void duplicateInTheLog() {
    Report r = new Builder().edit(b -> b.replicas.forEach(s -> s.add(new Stored(6, "k", "v3")))).check();
    assertFound(r, Type.DUPLICATE, "'v3'", "t-0@3", "t-0@6");
    assertOnly(r, Type.DUPLICATE);
  }

  @Test
  void duplicateSeenByConsumersAtTwoOffsets() {
    // Offset 9 is past the log's end now (say truncated away), but a consumer read 'v3' there.
    Report r = new Builder().poll("c1", 800, "0@9=v3").check();
    assertFound(r, Type.DUPLICATE, "'v3'", "t-0@9");
    assertOnly(r, Type.DUPLICATE);
  }

  @Test
  void duplicateOnOneReplicaIsNotHiddenByTheOthers() {
    Report r = new Builder().edit(b -> b.replicas.get(2).set(5, new Stored(5, "k", "v3"))).check();
    assertFound(r, Type.DUPLICATE, "'v3'", "t-0@5", "broker 2");
    assertFound(r, Type.DIVERGENT_REPLICAS, "offset 5");
    assertOnly(r, Type.DUPLICATE, Type.DIVERGENT_REPLICAS, Type.INCONSISTENT_OFFSET);
  }

  @Test
  void unknownWrittenTwice() {
    Report r = new Builder().edit(b -> {
      b.ops.add(unacknowledged("u", Outcome.UNKNOWN));
      b.replicas.forEach(s -> {
        s.add(new Stored(6, null, "u"));
        s.add(new Stored(7, null, "u"));
      });
    }).check();
    assertFound(r, Type.UNKNOWN_TWICE, "'u'", "t-0@6", "t-0@7");
    assertOnly(r, Type.UNKNOWN_TWICE);
  }

  @Test
  void definitelyFailedButStored() {
    Report r = new Builder().edit(b -> {
      b.ops.add(unacknowledged("f", Outcome.FAIL));
      b.replicas.forEach(s -> s.add(new Stored(6, null, "f")));
    }).check();
    assertFound(r, Type.FAILED_PRESENT, "'f'", "t-0@6");
    assertOnly(r, Type.FAILED_PRESENT);
  }

  @Test
  void definitelyFailedButPolled() {
    // Gone from the log by the end (e.g. trimmed), but a consumer saw it: it was written.
    Report r = new Builder().edit(b -> b.ops.add(unacknowledged("f", Outcome.FAIL))).poll("c1", 800, "0@6=f")
        .check();
    assertFound(r, Type.FAILED_PRESENT, "'f'", "t-0@6");
    assertOnly(r, Type.FAILED_PRESENT);
  }

  @Test
  void acknowledgedOffsetHoldsAnotherValue() {
    Report r = new Builder().edit(b -> {
      b.ops.add(new ProduceOp("p1", "t", null, "w", 900, 950, Outcome.OK, 0, 2, null));
      b.replicas.forEach(s -> s.add(new Stored(6, null, "w")));
    }).check();
    assertFound(r, Type.WRONG_OFFSET, "'w'", "t-0@2", "'v2'", "t-0@6");
    assertOnly(r, Type.WRONG_OFFSET);
  }

  @Test
  void acknowledgedOffsetPastTheEndOfTheLog() {
    Report r = new Builder().edit(b -> {
      b.ops.add(new ProduceOp("p1", "t", null, "x", 900, 950, Outcome.OK, 0, 20, null));
      b.extraReads.add(new ReplicaRead("t", 1, 0, 0, List.of(new Stored(0, null, "x")), "d", null));
    }).check();
    assertFound(r, Type.WRONG_OFFSET, "'x'", "t-0@20", "t-1@0");
    assertOnly(r, Type.WRONG_OFFSET);
  }

  @Test
  void consumersSawTwoValuesAtOneOffset() {
    Report r = new Builder().poll("c1", 800, "0@9=a").poll("c2", 800, "0@9=b").check();
    assertFound(r, Type.INCONSISTENT_OFFSET, "t-0@9", "'a'", "'b'", "consumer c2");
    assertOnly(r, Type.INCONSISTENT_OFFSET);
  }

  @Test
  void pollSawAnotherValueThanTheLog() {
    Report r = new Builder().poll("c1", 800, "0@1=ghost").check();
    assertFound(r, Type.INCONSISTENT_OFFSET, "t-0@1", "'ghost'", "'v1'");
    assertOnly(r, Type.INCONSISTENT_OFFSET);
  }

  @Test
  void divergentReplica() {
    Report r = new Builder().edit(b -> b.replicas.get(2).set(3, new Stored(3, "k", "other"))).check();
    assertFound(r, Type.DIVERGENT_REPLICAS, "offset 3", "broker 2 holds 'other'");
    assertFound(r, Type.INCONSISTENT_OFFSET, "t-0@3", "'other' (broker 2)");
    assertOnly(r, Type.DIVERGENT_REPLICAS, Type.INCONSISTENT_OFFSET);
  }

  @Test
  void replicaMissingItsTail() {
    Report r = new Builder().edit(b -> b.replicas.get(1).remove(5)).check();
    assertFound(r, Type.DIVERGENT_REPLICAS, "offset 5", "broker 1 holds nothing there", "[0, 5)");
    assertOnly(r, Type.DIVERGENT_REPLICAS);
  }

  @Test
  void replicaWithAnotherLogStartIsComparedByOffset() {
    Report r = new Builder().edit(b -> {
      b.replicas.get(2).subList(0, 2).clear();
      b.extraReads.add(new ReplicaRead("t", 0, 2, 2, b.replicas.get(2), "d", null));
      b.replicas.remove(2);
    }).check();
    assertFound(r, Type.DIVERGENT_REPLICAS, "offset 0", "broker 2 holds nothing there", "[2, 6)");
    assertOnly(r, Type.DIVERGENT_REPLICAS);
  }

  @Test
  void sameRecordsDifferentBytes() {
    Report r = new Builder().edit(b -> b.replicas.remove(2)).edit(b -> b.extraReads.add(
        new ReplicaRead("t", 0, 2, 0, b.replicas.get(0), "deadbeef", null))).check();
    assertFound(r, Type.DIVERGENT_REPLICAS, "deadbeef");
    assertOnly(r, Type.DIVERGENT_REPLICAS);
  }

  @Test
  void gapInOffsets() {
    Report r = new Builder().edit(b -> {
      b.ops.add(unacknowledged("u", Outcome.UNKNOWN));
      b.replicas.forEach(s -> s.add(new Stored(7, null, "u")));
    }).check();
    assertFound(r, Type.GAP, "from offset 5 to 7", "broker 0");
    assertOnly(r, Type.GAP);
  }

  @Test
  void gapAtTheLogStart() {
    Report r = new Builder().edit(b -> b.replicas.forEach(s -> s.remove(0))).check();
    assertFound(r, Type.GAP, "starts at offset 1 though its log start is 0");
    assertFound(r, Type.LOST_WRITE, "'v0'");
    assertOnly(r, Type.GAP, Type.LOST_WRITE);
  }

  @Test
  void pollWentBackwards() {
    Report r = new Builder().poll("c0", 800, "0@2=v2").check();
    assertFound(r, Type.NON_MONOTONIC_POLL, "c0", "t-0@2", "t-0@5");
    assertOnly(r, Type.NON_MONOTONIC_POLL);
  }

  @Test
  void pollRepeatedAnOffset() {
    Report r = new Builder().poll("c1", 800, "0@1=v1", "0@1=v1").check();
    assertFound(r, Type.NON_MONOTONIC_POLL, "c1", "t-0@1");
    assertOnly(r, Type.NON_MONOTONIC_POLL);
  }

  @Test
  void aSeekAllowsReadingAgainOnItsPartitionOnly() {
    Builder b = new Builder();
    b.polls.add(PollOp.seek("c0", 750, 0, 2));
    Report r = b.poll("c0", 800, "0@2=v2").check();
    assertTrue(r.valid(), r.render());
    b = new Builder();
    b.polls.add(PollOp.seek("c0", 750, 1, 2));
    r = b.poll("c0", 800, "0@2=v2").check();
    assertFound(r, Type.NON_MONOTONIC_POLL, "t-0@2");
  }

  @Test
  void pollsAreTakenInTimeOrderNotRecordingOrder() {
    // Recorded in the other order (threads race to the history), but polled 2, 3 then 4, 5.
    Report r = new Builder().poll("c1", 900, "0@4=v4", "0@5=v5").poll("c1", 800, "0@2=v2", "0@3=v3").check();
    assertTrue(r.valid(), r.render());
    r = new Builder().poll("c1", 800, "0@4=v4", "0@5=v5").poll("c1", 900, "0@2=v2", "0@3=v3").check();
    assertFound(r, Type.NON_MONOTONIC_POLL, "t-0@2", "t-0@5");
  }

  @Test
  void reorderedKey() {
    // v1 was sent after v0 was acknowledged, yet is stored before it.
    Report r = new Builder().edit(b -> {
      b.ops.set(0, ok("v0", "k", 0, 0, 1));
      b.ops.set(1, ok("v1", "k", 100, 0, 0));
      b.replicas.forEach(s -> {
        s.set(0, new Stored(0, "k", "v1"));
        s.set(1, new Stored(1, "k", "v0"));
      });
    }).check();
    assertFound(r, Type.KEY_ORDER, "'v1'", "'v0'", "t-0@1", "t-0@0");
    assertOnly(r, Type.KEY_ORDER);
  }

  @Test
  void keyMovedToAnotherPartition() {
    Report r = new Builder().edit(b -> {
      b.ops.add(ok("v6", "k", 900, 1, 0));
      b.extraReads.add(new ReplicaRead("t", 1, 0, 0, List.of(new Stored(0, "k", "v6")), "d", null));
    }).check();
    assertFound(r, Type.KEY_ORDER, "'v6'", "t-1@0", "t-0@5");
    assertOnly(r, Type.KEY_ORDER);
  }

  @Test
  void concurrentWritesOfOneKeyAreNotOrdered() {
    // v1 was sent before v0 was acknowledged: either order is allowed.
    Report r = new Builder().edit(b -> {
      b.ops.set(0, new ProduceOp("p0", "t", "k", "v0", 0, 150, Outcome.OK, 0, 1, null));
      b.ops.set(1, new ProduceOp("p0", "t", "k", "v1", 100, 160, Outcome.OK, 0, 0, null));
      b.replicas.forEach(s -> {
        s.set(0, new Stored(0, "k", "v1"));
        s.set(1, new Stored(1, "k", "v0"));
      });
    }).check();
    assertTrue(r.valid(), r.render());
  }

  @Test
  void noFinalReadsIsNeverValid() {
    History h = new History(1);
    h.add(ok("v", null, 0, 0, 0));
    Report r = Checker.check(h);
    assertFound(r, Type.INCOMPLETE_HISTORY, "no final reads", "1 acknowledged");
  }

  @Test
  void emptyFinalReadsAfterAcknowledgedWritesAreNeverValid() {
    Report r = new Builder().edit(b -> b.replicas.forEach(List::clear)).check();
    assertFound(r, Type.INCOMPLETE_HISTORY, "6 writes were acknowledged", "hold no records");
  }

  @Test
  void unreadableReplicaIsReported() {
    Report r = new Builder().edit(b -> b.extraReads.add(
        new ReplicaRead("t", 0, 7, -1, List.of(), "", "connection refused"))).check();
    assertFound(r, Type.INCOMPLETE_HISTORY, "broker 7", "connection refused");
    assertOnly(r, Type.INCOMPLETE_HISTORY);
  }

  @Test
  void aPartitionNeverReadIsIncompleteNotLost() {
    Report r = new Builder().edit(b -> b.ops.add(ok("z", null, 900, 3, 0))).check();
    assertFound(r, Type.INCOMPLETE_HISTORY, "t-3 has 1 acknowledged writes");
    assertOnly(r, Type.INCOMPLETE_HISTORY);
  }

  @Test
  void theRenderedReportCountsAnomaliesByType() {
    Report r = new Builder().edit(b -> b.replicas.forEach(s -> s.subList(4, 6).clear())).check();
    assertEquals(2, r.count(Type.LOST_WRITE), r.render());
    assertTrue(r.render().startsWith("INVALID: 2 anomalies (seed 42)"), r.render());
    assertTrue(r.render().contains("by type: {LOST_WRITE=2}"), r.render());
  }
}
