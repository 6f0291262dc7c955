package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per-key order: for one producer, topic and key, a write sent after an earlier one was
 * acknowledged must be stored after it, in the same partition. Writes in flight together may land
 * in either order. Compared by acknowledged offsets: where those differ from the log, the wrong
 * offset check already reports it.
 */
final class KeyOrderCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<String, List<ProduceOp>> groups = new TreeMap<>();
    for (ProduceOp op : h.produces()) {
      if (op.key() != null && op.outcome() == ProduceOp.Outcome.OK) {
        groups.computeIfAbsent(op.producer() + "|" + op.topic() + "|" + op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    for (List<ProduceOp> ops : groups.values()) {
      ops.sort(Comparator.comparingLong(ProduceOp::completeNanos));
      for (ProduceOp later : ops) {
        // Of the writes acknowledged before this one was sent and not stored before it, the last.
        ProduceOp worst = null;
        for (ProduceOp earlier : ops) {
          if (earlier.completeNanos() >= later.invokeNanos()) {
            break;
          }
          if (earlier.partition() != later.partition() || earlier.offset() >= later.offset()) {
            worst = earlier;
          }
        }
        if (worst != null) {
          out.accept(new Anomaly(Anomaly.Type.KEY_ORDER, "key '" + later.key() + "' of " + later.producer()
              + ": '" + later.value() + "' was sent after '" + worst.value() + "' was acknowledged at "
              + LogView.tp(worst.topic(), worst.partition()) + "@" + worst.offset() + ", yet is at "
              + LogView.tp(later.topic(), later.partition()) + "@" + later.offset()));
        }
      }
    }
  }
}
