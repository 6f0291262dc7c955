package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The final reads indexed for the checks: per partition, per offset, the values any replica holds,
 * and where each value is stored.
 */
final class LogView {
  /** topic-partition, e.g. "t-0". */
  static String tp(String topic, int partition) {
    return topic + "-" + partition;
  }

  final Map<String, List<ReplicaRead>> replicas = new TreeMap<>();
  /** tp → offset → value, from every replica (the first seen; conflicts are reported elsewhere). */
  final Map<String, TreeMap<Long, String>> byOffset = new TreeMap<>();
  /** value → every place it is stored, deduplicated over replicas ("tp@offset"). */
  final Map<String, List<String>> places = new HashMap<>();
  /** tp → the highest log start offset seen over its replicas. */
  final Map<String, Long> logStart = new HashMap<>();

  LogView(History h) {
    for (ReplicaRead r : h.finalReads()) {
      String tp = tp(r.topic(), r.partition());
      replicas.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
      logStart.merge(tp, r.logStartOffset(), Math::max);
      TreeMap<Long, String> offsets = byOffset.computeIfAbsent(tp, k -> new TreeMap<>());
      for (ReplicaRead.Stored s : r.records()) {
        if (offsets.putIfAbsent(s.offset(), s.value()) == null) {
          places.computeIfAbsent(s.value(), k -> new ArrayList<>()).add(tp + "@" + s.offset());
        }
      }
    }
  }

  boolean isEmpty() {
    return byOffset.values().stream().allMatch(Map::isEmpty);
  }
}
