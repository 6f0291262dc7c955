package dev.runnel.chaos.checker;

import dev.runnel.chaos.checker.LogView.Loc;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One offset, one value: every replica read and every poll that saw a given (topic, partition,
 * offset) must have seen the same value there. One anomaly per offset, naming each value and who
 * saw it.
 */
final class InconsistentOffsetCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    Map<Loc, Map<String, Set<String>>> seen = new TreeMap<>();
    for (List<ReplicaRead> reads : log.replicas.values()) {
      for (ReplicaRead r : reads) {
        String tp = LogView.tp(r.topic(), r.partition());
        r.records().forEach(s -> see(seen, new Loc(tp, s.offset()), s.value(), "broker " + r.broker()));
      }
    }
    for (PollOp op : h.polls()) {
      op.records().forEach(r -> see(seen, new Loc(LogView.tp(r.topic(), r.partition()), r.offset()), r.value(),
          "consumer " + op.consumer()));
    }
    seen.forEach((at, values) -> {
      if (values.size() > 1) {
        StringBuilder b = new StringBuilder(at + " was seen holding");
        String sep = " ";
        for (Map.Entry<String, Set<String>> e : values.entrySet()) {
          b.append(sep).append("'").append(e.getKey()).append("' (").append(String.join(", ", e.getValue()))
              .append(")");
          sep = " and ";
        }
        out.accept(new Anomaly(Anomaly.Type.INCONSISTENT_OFFSET, b.toString()));
      }
    });
  }

  private static void see(Map<Loc, Map<String, Set<String>>> seen, Loc at, String value, String who) {
    seen.computeIfAbsent(at, k -> new LinkedHashMap<>()).computeIfAbsent(value, k -> new LinkedHashSet<>()).add(who);
  }
}
