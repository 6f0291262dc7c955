package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What consumers saw: within one consumer a partition's offsets only move forward (until a seek),
 * and every offset polled holds the value the log holds.
 */
final class ConsumerChecks implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<String, Long> lastByConsumerPartition = new HashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (PollOp op : h.polls()) {
      if (op.isSeek()) {
        lastByConsumerPartition.keySet().removeIf(k -> k.startsWith(op.consumer() + "|")
            && k.endsWith("-" + op.seekPartition()));
        continue;
      }
      for (PollOp.Polled r : op.records()) {
        String tp = LogView.tp(r.topic(), r.partition());
        String key = op.consumer() + "|" + tp;
        Long last = lastByConsumerPartition.put(key, r.offset());
        if (last != null && r.offset() <= last) {
          out.accept(new Anomaly(Anomaly.Type.NON_MONOTONIC_POLL, op.consumer() + " polled " + tp + "@"
              + r.offset() + " ('" + r.value() + "') after " + tp + "@" + last + " without a seek"));
        }
        String earlier = seen.putIfAbsent(tp + "@" + r.offset(), r.value());
        if (earlier != null && !earlier.equals(r.value())) {
          out.accept(new Anomaly(Anomaly.Type.INCONSISTENT_OFFSET, tp + "@" + r.offset() + " was polled as '"
              + earlier + "' and as '" + r.value() + "'"));
        }
        String stored = log.byOffset.getOrDefault(tp, new java.util.TreeMap<>()).get(r.offset());
        if (stored != null && !stored.equals(r.value())) {
          out.accept(new Anomaly(Anomaly.Type.INCONSISTENT_OFFSET, op.consumer() + " polled '" + r.value()
              + "' at " + tp + "@" + r.offset() + " but the log holds '" + stored + "' there"));
        }
      }
    }
  }
}
