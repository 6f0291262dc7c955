package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.ProduceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the cluster took to recover from each kind of fault: min, median and max in ms. Only
 * reported, never judged: a run is not invalid for being slow.
 */
final class RecoveryTimes {
  private RecoveryTimes() {}

  /** Fault → completion of the first acknowledged write sent at or after it. */
  static Map<String, long[]> toFirstWrite(List<FaultEvent> faults, List<ProduceOp> ops) {
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (FaultEvent f : faults) {
      ops.stream().filter(o -> o.outcome() == ProduceOp.Outcome.OK && o.invokeNanos() >= f.nanos())
          .mapToLong(ProduceOp::completeNanos).min()
          .ifPresent(t -> byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(t - f.nanos()));
    }
    return summarize(byKind);
  }

  /** Fault → every partition led again, for the faults where the nemesis measured it. */
  static Map<String, long[]> toLeaders(List<FaultEvent> faults) {
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (FaultEvent f : faults) {
      if (f.leaderAfterNanos() >= 0) {
        byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f.leaderAfterNanos());
      }
    }
    return summarize(byKind);
  }

  /** Nanoseconds per kind → {min, median (the upper one for an even count), max} in ms. */
  private static Map<String, long[]> summarize(Map<String, List<Long>> byKind) {
    Map<String, long[]> out = new TreeMap<>();
    byKind.forEach((k, v) -> {
      List<Long> s = v.stream().sorted().toList();
      out.put(k, new long[] {ms(s.get(0)), ms(s.get(s.size() / 2)), ms(s.get(s.size() - 1))});
    });
    return out;
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
