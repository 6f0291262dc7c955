package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The evidence the checks share, indexed once: the readable replica reads of each partition, the
 * reference log (what the first readable replica of each partition holds; the divergence check
 * compares the others to it) and every place each value was stored or polled.
 */
final class LogView {
  /** A place in the log, e.g. t-0@5. */
  record Loc(String tp, long offset) implements Comparable<Loc> {
    @Override
    public int compareTo(Loc o) {
      int c = tp.compareTo(o.tp);
      return c != 0 ? c : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
      return tp + "@" + offset;
    }
  }

  static String tp(String topic, int partition) {
    return topic + "-" + partition;
  }

  static final String POLLS = "polls";

  /** tp → the replicas that could be read, in the order read. */
  final Map<String, List<ReplicaRead>> replicas = new TreeMap<>();
  final List<ReplicaRead> unreadable = new ArrayList<>();
  /** tp → offset → value in the reference replica. */
  final Map<String, TreeMap<Long, String>> reference = new TreeMap<>();
  /** tp → the highest log start over its readable replicas. */
  final Map<String, Long> logStart = new HashMap<>();
  /** value → the write that sent it (values are unique within a run). */
  final Map<String, ProduceOp> writes = new HashMap<>();
  /** value → source ("broker 2" or {@link #POLLS}) → where that source saw it. */
  private final Map<String, Map<String, SortedSet<Loc>>> seen = new HashMap<>();

  LogView(History h) {
    h.produces().forEach(op -> writes.putIfAbsent(op.value(), op));
    for (ReplicaRead r : h.finalReads()) {
      if (r.error() != null) {
        unreadable.add(r);
        continue;
      }
      String tp = tp(r.topic(), r.partition());
      boolean first = !replicas.containsKey(tp);
      replicas.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
      logStart.merge(tp, r.logStartOffset(), Math::max);
      TreeMap<Long, String> ref = reference.computeIfAbsent(tp, k -> new TreeMap<>());
      for (ReplicaRead.Stored s : r.records()) {
        if (first) {
          ref.putIfAbsent(s.offset(), s.value());
        }
        see(s.value(), "broker " + r.broker(), new Loc(tp, s.offset()));
      }
    }
    for (PollOp op : h.polls()) {
      op.records().forEach(r -> see(r.value(), POLLS, new Loc(tp(r.topic(), r.partition()), r.offset())));
    }
  }

  private void see(String value, String source, Loc at) {
    seen.computeIfAbsent(value, k -> new TreeMap<>()).computeIfAbsent(source, k -> new TreeSet<>()).add(at);
  }

  /** Every place any readable replica holds the value. */
  SortedSet<Loc> stored(String value) {
    SortedSet<Loc> at = new TreeSet<>();
    seen.getOrDefault(value, Map.of()).forEach((source, locs) -> {
      if (!source.equals(POLLS)) {
        at.addAll(locs);
      }
    });
    return at;
  }

  /** Every place a consumer polled the value. */
  SortedSet<Loc> polled(String value) {
    return seen.getOrDefault(value, Map.of()).getOrDefault(POLLS, new TreeSet<>());
  }

  /** Whether the reference replica has a record at this place (its value may be null). */
  boolean holds(Loc at) {
    return reference.getOrDefault(at.tp(), new TreeMap<>()).containsKey(at.offset());
  }

  String valueAt(Loc at) {
    return reference.getOrDefault(at.tp(), new TreeMap<>()).get(at.offset());
  }

  /** The offset after the reference replica's last record. */
  long end(String tp) {
    TreeMap<Long, String> ref = reference.getOrDefault(tp, new TreeMap<>());
    return ref.isEmpty() ? logStart.getOrDefault(tp, 0L) : ref.lastKey() + 1;
  }

  /**
   * The values seen at more than one place by one witness: a single replica (over all its
   * partitions), the consumers together, or a replica and the consumers together (a value polled at
   * one offset and stored at another was written twice, even if retention has since trimmed one).
   * A whole-run union over replicas is not used: replicas that diverge are reported as such.
   *
   * @return value → the places, each with the witnesses that saw the value at all of them
   */
  Map<String, Map<SortedSet<Loc>, List<String>>> duplicates() {
    Map<String, Map<SortedSet<Loc>, List<String>>> out =
        new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
    seen.forEach((value, bySource) -> {
      SortedSet<Loc> polls = bySource.getOrDefault(POLLS, new TreeSet<>());
      Map<SortedSet<Loc>, List<String>> witnessed = new LinkedHashMap<>();
      if (bySource.size() == 1 && polls.size() > 1) {
        witnessed.put(polls, new ArrayList<>(List.of("consumers")));
      }
      bySource.forEach((source, locs) -> {
        if (!source.equals(POLLS)) {
          SortedSet<Loc> all = new TreeSet<>(locs);
          all.addAll(polls);
          if (all.size() > 1) {
            witnessed.computeIfAbsent(all, k -> new ArrayList<>())
                .add(source + (all.size() > locs.size() ? " with the consumers" : ""));
          }
        }
      });
      if (!witnessed.isEmpty()) {
        out.put(value, witnessed);
      }
    });
    return out;
  }

  /** How a value is named in messages: quoted, with the write that sent it if known. */
  String describe(String value) {
    ProduceOp op = writes.get(value);
    return "'" + value + "'" + (op == null ? " (sent by no recorded write)"
        : " (" + op.outcome() + " from " + op.producer() + ")");
  }
}
