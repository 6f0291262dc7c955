package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Whether the history can support a verdict at all. Every other check passes on a history with no
 * final reads, so a harness that failed to read the replicas must not look like a correct system.
 */
final class CompletenessCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<String, Integer> acked = new TreeMap<>();
    h.produces().stream().filter(op -> op.outcome() == ProduceOp.Outcome.OK)
        .forEach(op -> acked.merge(LogView.tp(op.topic(), op.partition()), 1, Integer::sum));
    int total = acked.values().stream().mapToInt(Integer::intValue).sum();
    if (h.finalReads().isEmpty()) {
      out.accept(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, "the history has no final reads, so nothing"
          + " shows that any of the " + total + " acknowledged writes survived"));
      return;
    }
    if (total > 0 && log.reference.values().stream().allMatch(Map::isEmpty)) {
      out.accept(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, total + " writes were acknowledged but the "
          + h.finalReads().size() + " final replica reads hold no records"));
    }
    for (ReplicaRead r : log.unreadable) {
      out.accept(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, "the replica of " + LogView.tp(r.topic(),
          r.partition()) + " on broker " + r.broker() + " could not be read: " + r.error()));
    }
    acked.forEach((tp, n) -> {
      if (!log.replicas.containsKey(tp)) {
        out.accept(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, tp + " has " + n + " acknowledged writes but"
            + " no readable replica, so they cannot be checked"));
      }
    });
  }
}
