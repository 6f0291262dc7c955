package dev.runnel.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.HistoryIO;
import dev.runnel.chaos.history.PollOp;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ProduceOp.Outcome;
import dev.runnel.chaos.history.ReplicaRead;
import dev.runnel.chaos.history.ReplicaRead.Stored;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker must be able to fail: a clean history passes, and each planted anomaly is caught and
 * named in the report.
 */
class CheckerTest {
  @TempDir Path dir;

  /** Builds a history: 6 keyed writes by one producer, acknowledged at offsets 0..5, on 3 replicas. */
  private static final class Builder {
    final History h = new History(42);
    final List<ProduceOp> ops = new ArrayList<>();
    final List<List<Stored>> replicas = new ArrayList<>();
    long logStart = 0;

    Builder() {
      for (int i = 0; i < 6; i++) {
        ops.add(new ProduceOp("p0", "t", "k", "v" + i, i * 100L, i * 100L + 50, Outcome.OK, 0, i, null));
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

    History build() {
      ops.forEach(h::add);
      for (int r = 0; r < replicas.size(); r++) {
        h.add(new ReplicaRead("t", 0, r, logStart, replicas.get(r), digest(replicas.get(r)), null));
      }
      h.add(PollOp.poll("c0", 700, replicas.get(0).stream()
          .map(s -> new PollOp.Polled("t", 0, s.offset(), s.key(), s.value())).toList()));
      h.add(new FaultEvent(120, "kill", "broker 1", "kill -9 broker 1", 80_000_000));
      return h;
    }

    static String digest(List<Stored> s) {
      return Integer.toHexString(s.hashCode());
    }
  }

  private static Report check(Builder b) {
    return Checker.check(b.build());
  }

  private static void assertCaught(Report r, Anomaly.Type type, String named) {
    assertFalse(r.valid(), r.render());
    assertTrue(r.count(type) > 0, "expected " + type + " in\n" + r.render());
    assertTrue(r.anomalies().stream().filter(a -> a.type() == type).anyMatch(a -> a.message().contains(named)),
        "expected the " + type + " report to name " + named + ":\n" + r.render());
  }

  @Test
  void aCleanHistoryIsValidWithItsFigures() {
    Report r = check(new Builder());
    assertTrue(r.valid(), r.render());
    assertEquals(6, r.operations());
    assertEquals(6, r.acknowledged());
    assertEquals(18, r.recordsRead());
    assertEquals(1, r.faults());
    // The first write sent after the fault (at 120) was invoked at 200 and acknowledged at 250.
    assertEquals(0, r.recoveryMillis().get("kill")[0]);
    assertEquals(80, r.leaderMillis().get("kill")[0]);
    assertTrue(r.render().startsWith("VALID (seed 42)"), r.render());
  }

  @Test
  void lostWrite() {
    Report r = check(new Builder().edit(b -> b.replicas.forEach(s -> s.remove(5))));
    assertCaught(r, Anomaly.Type.LOST_WRITE, "v5");
  }

  @Test
  void aWriteBelowTheLogStartWasTrimmedNotLost() {
    Report r = check(new Builder().edit(b -> {
      b.logStart = 2;
      b.replicas.forEach(s -> s.subList(0, 2).clear());
    }));
    assertTrue(r.valid(), r.render());
  }

  @Test
  void duplicate() {
    Report r = check(new Builder().edit(b -> b.replicas.forEach(s -> s.add(new Stored(6, "k", "v3")))));
    assertCaught(r, Anomaly.Type.DUPLICATE, "v3");
  }

  @Test
  void unknownWrittenTwice() {
    Report r = check(new Builder().edit(b -> {
      b.ops.add(new ProduceOp("p0", "t", null, "u", 900, 990, Outcome.UNKNOWN, -1, -1, "timeout"));
      b.replicas.forEach(s -> {
        s.add(new Stored(6, null, "u"));
        s.add(new Stored(7, null, "u"));
      });
    }));
    assertCaught(r, Anomaly.Type.UNKNOWN_TWICE, "'u'");
  }

  @Test
  void unknownWrittenOnceIsFine() {
    Report r = check(new Builder().edit(b -> {
      b.ops.add(new ProduceOp("p0", "t", null, "u", 900, 990, Outcome.UNKNOWN, -1, -1, "timeout"));
      b.replicas.forEach(s -> s.add(new Stored(6, null, "u")));
    }));
    assertTrue(r.valid(), r.render());
    assertEquals(1, r.unknown());
  }

  @Test
  void definitelyFailedButStored() {
    Report r = check(new Builder().edit(b -> {
      b.ops.add(new ProduceOp("p0", "t", null, "f", 900, 990, Outcome.FAIL, -1, -1, "record too large"));
      b.replicas.forEach(s -> s.add(new Stored(6, null, "f")));
    }));
    assertCaught(r, Anomaly.Type.FAILED_PRESENT, "'f'");
  }

  @Test
  void acknowledgedOffsetHoldsAnotherValue() {
    Report r = check(new Builder().edit(b -> b.ops.set(2,
        new ProduceOp("p0", "t", "k", "v2", 200, 250, Outcome.OK, 0, 4, null))));
    assertCaught(r, Anomaly.Type.WRONG_OFFSET, "t-0@4");
  }

  @Test
  void divergentReplica() {
    Report r = check(new Builder().edit(b -> b.replicas.get(2).set(3, new Stored(3, "k", "other"))));
    assertCaught(r, Anomaly.Type.DIVERGENT_REPLICAS, "broker 2");
    assertCaught(r, Anomaly.Type.INCONSISTENT_OFFSET, "t-0@3");
  }

  @Test
  void replicaMissingItsTail() {
    Report r = check(new Builder().edit(b -> b.replicas.get(1).remove(5)));
    assertCaught(r, Anomaly.Type.DIVERGENT_REPLICAS, "[0, 5)");
  }

  @Test
  void sameRecordsDifferentBytes() {
    History h = new Builder().build();
    History altered = new History(h.seed());
    h.produces().forEach(altered::add);
    h.polls().forEach(altered::add);
    for (ReplicaRead r : h.finalReads()) {
      altered.add(r.broker() == 1 ? new ReplicaRead(r.topic(), r.partition(), 1, r.logStartOffset(), r.records(),
          "deadbeef", null) : r);
    }
    Report r = Checker.check(altered);
    assertCaught(r, Anomaly.Type.DIVERGENT_REPLICAS, "deadbeef");
  }

  @Test
  void gapInOffsets() {
    Report r = check(new Builder().edit(b -> b.replicas.forEach(s -> s.set(4, new Stored(9, "k", "v4")))));
    assertCaught(r, Anomaly.Type.GAP, "from offset 3 to 9");
  }

  @Test
  void pollWentBackwards() {
    History h = new Builder().build();
    h.add(PollOp.poll("c0", 800, List.of(new PollOp.Polled("t", 0, 2, "k", "v2"))));
    assertCaught(Checker.check(h), Anomaly.Type.NON_MONOTONIC_POLL, "t-0@2");
  }

  @Test
  void aSeekAllowsReadingAgain() {
    History h = new Builder().build();
    h.add(PollOp.seek("c0", 750, 0, 2));
    h.add(PollOp.poll("c0", 800, List.of(new PollOp.Polled("t", 0, 2, "k", "v2"))));
    Report r = Checker.check(h);
    assertTrue(r.valid(), r.render());
  }

  @Test
  void pollSawAnotherValueThanTheLog() {
    History h = new Builder().build();
    h.add(PollOp.poll("c1", 800, List.of(new PollOp.Polled("t", 0, 1, "k", "ghost"))));
    assertCaught(Checker.check(h), Anomaly.Type.INCONSISTENT_OFFSET, "ghost");
  }

  @Test
  void reorderedKey() {
    // v1 was sent after v0 was acknowledged, yet is stored before it.
    Report r = check(new Builder().edit(b -> {
      b.ops.set(0, new ProduceOp("p0", "t", "k", "v0", 0, 50, Outcome.OK, 0, 1, null));
      b.ops.set(1, new ProduceOp("p0", "t", "k", "v1", 100, 150, Outcome.OK, 0, 0, null));
      b.replicas.forEach(s -> {
        s.set(0, new Stored(0, "k", "v1"));
        s.set(1, new Stored(1, "k", "v0"));
      });
    }));
    assertCaught(r, Anomaly.Type.KEY_ORDER, "'v1'");
  }

  @Test
  void concurrentWritesOfOneKeyAreNotOrdered() {
    // v1 was sent before v0 was acknowledged: either order is allowed.
    Report r = check(new Builder().edit(b -> {
      b.ops.set(0, new ProduceOp("p0", "t", "k", "v0", 0, 150, Outcome.OK, 0, 1, null));
      b.ops.set(1, new ProduceOp("p0", "t", "k", "v1", 100, 160, Outcome.OK, 0, 0, null));
      b.replicas.forEach(s -> {
        s.set(0, new Stored(0, "k", "v1"));
        s.set(1, new Stored(1, "k", "v0"));
      });
    }));
    assertTrue(r.valid(), r.render());
  }

  @Test
  void noFinalReadsIsNeverValid() {
    History h = new History(1);
    h.add(new ProduceOp("p0", "t", null, "v", 0, 1, Outcome.OK, 0, 0, null));
    assertCaught(Checker.check(h), Anomaly.Type.INCOMPLETE_HISTORY, "1 writes were acknowledged");
  }

  @Test
  void unreadableReplicaIsReported() {
    History h = new Builder().build();
    h.add(new ReplicaRead("t", 0, 7, 0, List.of(), "", "connection refused"));
    assertCaught(Checker.check(h), Anomaly.Type.INCOMPLETE_HISTORY, "broker 7");
  }

  @Test
  void historiesSurviveAWriteAndReadBack() throws Exception {
    History h = new Builder().edit(b -> b.ops.add(
        new ProduceOp("p1", "t", null, "u", 900, 990, Outcome.UNKNOWN, -1, -1, "timeout"))).build();
    h.add(PollOp.seek("c0", 750, 0, 2));
    HistoryIO.write(h, dir);
    History back = HistoryIO.read(dir);
    assertEquals(h.seed(), back.seed());
    assertEquals(h.produces(), back.produces());
    assertEquals(h.polls(), back.polls());
    assertEquals(h.faults(), back.faults());
    assertEquals(h.finalReads(), back.finalReads());
    assertEquals(Checker.check(h).render(), Checker.check(back).render());
  }

  @Test
  void anUnreadableHistoryNamesTheLine() throws Exception {
    java.nio.file.Files.writeString(dir.resolve(HistoryIO.FILE), "{\"type\":\"seed\",\"body\":{\"seed\":1}}\n{oops\n");
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> HistoryIO.read(dir));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
