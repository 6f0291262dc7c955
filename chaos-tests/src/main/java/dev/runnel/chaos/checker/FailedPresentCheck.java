package dev.runnel.chaos.checker;

import dev.runnel.chaos.checker.LogView.Loc;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A write the producer was told definitely failed must appear nowhere: not in any replica, and not
 * in any poll (which also catches one that was written and then trimmed by retention).
 */
final class FailedPresentCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (ProduceOp op : h.produces()) {
      if (op.outcome() != ProduceOp.Outcome.FAIL) {
        continue;
      }
      SortedSet<Loc> at = new TreeSet<>(log.stored(op.value()));
      at.addAll(log.polled(op.value()));
      if (!at.isEmpty()) {
        out.accept(new Anomaly(Anomaly.Type.FAILED_PRESENT, "'" + op.value() + "' from " + op.producer()
            + " failed definitely (" + op.error() + ") but was stored or polled at " + at));
      }
    }
  }
}
