package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ProduceOp.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a chaos run's history: one {@link Check} per anomaly type, all over the same indexed
 * evidence, and the run's figures for the report.
 */
public final class Checker {
  private static final List<Check> CHECKS = List.of(new CompletenessCheck(), new LostWriteCheck(),
      new WrongOffsetCheck(), new DuplicateCheck(), new UnknownTwiceCheck(), new FailedPresentCheck(),
      new InconsistentOffsetCheck(), new GapCheck(), new DivergentReplicasCheck(), new PollOrderCheck(),
      new KeyOrderCheck());

  private Checker() {}

  public static Report check(History h) {
    LogView log = new LogView(h);
    List<Anomaly> anomalies = new ArrayList<>();
    for (Check c : CHECKS) {
      c.check(h, log, anomalies::add);
    }
    List<ProduceOp> ops = h.produces();
    // Heals are the nemesis undoing its faults, not faults.
    List<FaultEvent> faults = h.faults().stream().filter(f -> !f.kind().equals("heal")).toList();
    return new Report(h.seed(), anomalies, ops.size(), count(ops, Outcome.OK), count(ops, Outcome.FAIL),
        count(ops, Outcome.UNKNOWN), (int) h.polls().stream().filter(p -> !p.isSeek()).count(),
        h.finalReads().stream().mapToInt(r -> r.records().size()).sum(), faults.size(),
        RecoveryTimes.toFirstWrite(faults, ops), RecoveryTimes.toLeaders(faults));
  }

  private static int count(List<ProduceOp> ops, Outcome outcome) {
    return (int) ops.stream().filter(op -> op.outcome() == outcome).count();
  }
}
