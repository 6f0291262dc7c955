package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Within one consumer, a partition's offsets only move forward: never back, never the same offset
 * twice, until the consumer reports a seek on that partition. Each consumer's polls are taken in
 * time order (stable, so polls with equal times keep the order they were recorded in).
 */
final class PollOrderCheck implements Check {
  private record Position(String topic, int partition) {}

  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<String, List<PollOp>> byConsumer = new TreeMap<>();
    h.polls().forEach(op -> byConsumer.computeIfAbsent(op.consumer(), k -> new ArrayList<>()).add(op));
    byConsumer.forEach((consumer, ops) -> {
      ops.sort(Comparator.comparingLong(PollOp::nanos));
      Map<Position, Long> last = new HashMap<>();
      for (PollOp op : ops) {
        if (op.isSeek()) {
          last.keySet().removeIf(p -> p.partition() == op.seekPartition());
          continue;
        }
        for (PollOp.Polled r : op.records()) {
          Long before = last.put(new Position(r.topic(), r.partition()), r.offset());
          if (before != null && r.offset() <= before) {
            String tp = LogView.tp(r.topic(), r.partition());
            out.accept(new Anomaly(Anomaly.Type.NON_MONOTONIC_POLL, consumer + " polled " + tp + "@" + r.offset()
                + " ('" + r.value() + "') after " + tp + "@" + before + " with no seek in between"));
          }
        }
      }
    });
  }
}
