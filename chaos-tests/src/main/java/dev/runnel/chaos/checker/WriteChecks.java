package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ProduceOp.Outcome;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happened to each write: an acknowledged value must be stored exactly at its acknowledged
 * offset, a definitely failed one nowhere, and no value more than once.
 */
final class WriteChecks implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (ProduceOp op : h.produces()) {
      List<String> at = log.places.getOrDefault(op.value(), List.of());
      String tp = LogView.tp(op.topic(), op.partition());
      if (at.size() > 1) {
        out.accept(new Anomaly(op.outcome() == Outcome.UNKNOWN ? Anomaly.Type.UNKNOWN_TWICE
            : Anomaly.Type.DUPLICATE, "value '" + op.value() + "' from " + op.producer() + " (" + op.outcome()
            + ") is stored " + at.size() + " times: " + at));
      }
      switch (op.outcome()) {
        case OK -> {
          if (op.offset() < log.logStart.getOrDefault(tp, 0L)) {
            continue;  // trimmed by retention: not a loss
          }
          String stored = log.byOffset.getOrDefault(tp, new java.util.TreeMap<>()).get(op.offset());
          if (at.isEmpty()) {
            out.accept(new Anomaly(Anomaly.Type.LOST_WRITE, "value '" + op.value() + "' from " + op.producer()
                + " was acknowledged at " + tp + "@" + op.offset() + " but no replica holds it"
                + (stored == null ? "" : " (that offset holds '" + stored + "')")));
          } else if (stored != null && !stored.equals(op.value())) {
            out.accept(new Anomaly(Anomaly.Type.WRONG_OFFSET, "value '" + op.value() + "' was acknowledged at "
                + tp + "@" + op.offset() + " but that offset holds '" + stored + "'; the value is at " + at));
          }
        }
        case FAIL -> {
          if (!at.isEmpty()) {
            out.accept(new Anomaly(Anomaly.Type.FAILED_PRESENT, "value '" + op.value() + "' from "
                + op.producer() + " failed definitely (" + op.error() + ") but is stored at " + at));
          }
        }
        case UNKNOWN -> { }
      }
    }
  }
}
