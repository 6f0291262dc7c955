package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-key order: for one producer and key, a write sent after an earlier one was acknowledged must
 * be stored after it, in the same partition. (Writes in flight together are ordered by the
 * producer's sequence numbers, which the duplicate and gap checks cover.)
 */
final class KeyOrderCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<String, List<ProduceOp>> byProducerKey = new HashMap<>();
    for (ProduceOp op : h.produces()) {
      if (op.key() != null && op.outcome() == ProduceOp.Outcome.OK) {
        byProducerKey.computeIfAbsent(op.producer() + "|" + op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    for (List<ProduceOp> ops : byProducerKey.values()) {
      // Quadratic per producer and key; the workload keeps each such list short.
      for (ProduceOp later : ops) {
        ProduceOp before = null;
        for (ProduceOp earlier : ops) {
          if (earlier.completeNanos() < later.invokeNanos()
              && (before == null || earlier.offset() > before.offset())) {
            before = earlier;
          }
        }
        if (before != null && (before.partition() != later.partition() || before.offset() >= later.offset())) {
          out.accept(new Anomaly(Anomaly.Type.KEY_ORDER, "key '" + later.key() + "' of " + later.producer()
              + ": '" + later.value() + "' (sent after '" + before.value() + "' was acknowledged at "
              + LogView.tp(before.topic(), before.partition()) + "@" + before.offset() + ") is at "
              + LogView.tp(later.topic(), later.partition()) + "@" + later.offset()));
        }
      }
    }
  }
}
