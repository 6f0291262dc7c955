package dev.runnel.chaos.checker;

import dev.runnel.chaos.checker.LogView.Loc;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * An acknowledged value must be stored at the partition and offset it was acknowledged at. A value
 * stored nowhere is a lost write, and one stored at its offset and elsewhere too is a duplicate;
 * this check reports the rest: the value is stored, but not where the producer was told.
 */
final class WrongOffsetCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (ProduceOp op : h.produces()) {
      if (op.outcome() != ProduceOp.Outcome.OK) {
        continue;
      }
      String tp = LogView.tp(op.topic(), op.partition());
      Loc ack = new Loc(tp, op.offset());
      SortedSet<Loc> at = log.stored(op.value());
      if (at.isEmpty() || at.contains(ack)) {
        continue;
      }
      String there;
      if (log.holds(ack)) {
        there = "that offset holds '" + log.valueAt(ack) + "'";
      } else if (op.offset() < log.logStart.getOrDefault(tp, 0L)) {
        there = "that offset is below the log start " + log.logStart.get(tp);
      } else {
        there = "the log of " + tp + " ends at offset " + log.end(tp);
      }
      out.accept(new Anomaly(Anomaly.Type.WRONG_OFFSET, "'" + op.value() + "' from " + op.producer()
          + " was acknowledged at " + ack + " but " + there + "; the value is stored at " + at));
    }
  }
}
