package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks a chaos run's history against the invariants in DESIGN.md and computes its figures. */
public final class Checker {
  private static final List<Check> CHECKS = List.of(new WriteChecks(), new ReplicaChecks(),
      new ConsumerChecks(), new KeyOrderCheck());

  private Checker() {}

  public static Report check(History h) {
    LogView log = new LogView(h);
    List<Anomaly> anomalies = new ArrayList<>();
    long acknowledged = h.produces().stream().filter(p -> p.outcome() == ProduceOp.Outcome.OK).count();
    // Without final reads every check would pass vacuously: a harness failure must not look valid.
    if (h.finalReads().isEmpty() || (acknowledged > 0 && log.isEmpty())) {
      anomalies.add(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, acknowledged + " writes were acknowledged"
          + " but the final reads hold no records (" + h.finalReads().size() + " replica reads)"));
    }
    for (Check c : CHECKS) {
      c.check(h, log, anomalies::add);
    }
    int failed = (int) h.produces().stream().filter(p -> p.outcome() == ProduceOp.Outcome.FAIL).count();
    int unknown = (int) h.produces().stream().filter(p -> p.outcome() == ProduceOp.Outcome.UNKNOWN).count();
    int read = h.finalReads().stream().mapToInt(r -> r.records().size()).sum();
    List<FaultEvent> faults = h.faults().stream().filter(f -> !f.kind().equals("heal")).toList();
    return new Report(h.seed(), anomalies, h.produces().size(), (int) acknowledged, failed, unknown,
        (int) h.polls().stream().filter(p -> !p.isSeek()).count(), read, faults.size(),
        recovery(faults, h.produces()), leader(faults));
  }

  private static Map<String, long[]> recovery(List<FaultEvent> faults, List<ProduceOp> ops) {
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (FaultEvent f : faults) {
      ops.stream().filter(o -> o.outcome() == ProduceOp.Outcome.OK && o.invokeNanos() >= f.nanos())
          .mapToLong(ProduceOp::completeNanos).min()
          .ifPresent(t -> byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add((t - f.nanos()) / 1_000_000));
    }
    return summarize(byKind);
  }

  private static Map<String, long[]> leader(List<FaultEvent> faults) {
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (FaultEvent f : faults) {
      if (f.leaderAfterNanos() >= 0) {
        byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f.leaderAfterNanos() / 1_000_000);
      }
    }
    return summarize(byKind);
  }

  private static Map<String, long[]> summarize(Map<String, List<Long>> byKind) {
    Map<String, long[]> out = new TreeMap<>();
    byKind.forEach((k, v) -> {
      List<Long> s = v.stream().sorted().toList();
      out.put(k, new long[] {s.get(0), s.get(s.size() / 2), s.get(s.size() - 1)});
    });
    return out;
  }

}
