package dev.runnel.chaos.checker;

import dev.runnel.chaos.checker.LogView.Loc;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.function.Consumer;

/**
 * An acknowledged value must still be in the log after healing. Exempt: values acknowledged below
 * the log start (retention trimmed them) and partitions no replica of which could be read (the
 * completeness check reports those; calling their writes lost would blame the wrong thing).
 */
final class LostWriteCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (ProduceOp op : h.produces()) {
      String tp = LogView.tp(op.topic(), op.partition());
      if (op.outcome() != ProduceOp.Outcome.OK || !log.replicas.containsKey(tp)
          || op.offset() < log.logStart.get(tp) || !log.stored(op.value()).isEmpty()) {
        continue;
      }
      Loc ack = new Loc(tp, op.offset());
      String there = log.holds(ack) ? "; that offset holds '" + log.valueAt(ack) + "'"
          : "; the log ends at offset " + log.end(tp);
      String polled = log.polled(op.value()).isEmpty() ? "" : "; a consumer had polled it at "
          + log.polled(op.value());
      out.accept(new Anomaly(Anomaly.Type.LOST_WRITE, "'" + op.value() + "' from " + op.producer()
          + " was acknowledged at " + ack + " but no replica holds it" + there + polled));
    }
  }
}
