package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * After healing, every replica of a partition is identical to the first one read: the same log
 * start, the same value at every offset, and the same bytes (digest). Reports the first offset at
 * which the records differ, compared by offset (not by position, so that a replica missing its head
 * is not misread as holding other values).
 */
final class DivergentReplicasCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    log.replicas.forEach((tp, reads) -> {
      ReplicaRead a = reads.get(0);
      for (ReplicaRead b : reads.subList(1, reads.size())) {
        compare(tp, a, b, out);
      }
    });
  }

  private static void compare(String tp, ReplicaRead a, ReplicaRead b, Consumer<Anomaly> out) {
    TreeMap<Long, String> x = byOffset(a);
    TreeMap<Long, String> y = byOffset(b);
    TreeSet<Long> offsets = new TreeSet<>(x.keySet());
    offsets.addAll(y.keySet());
    String ranges = "; broker " + a.broker() + " holds " + range(a) + ", broker " + b.broker() + " holds "
        + range(b);
    for (long o : offsets) {
      if (x.containsKey(o) != y.containsKey(o) || !Objects.equals(x.get(o), y.get(o))) {
        out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + " differs first at offset " + o
            + ": broker " + a.broker() + " " + show(x, o) + ", broker " + b.broker() + " " + show(y, o) + ranges));
        return;
      }
    }
    if (a.logStartOffset() != b.logStartOffset() || a.records().size() != b.records().size()) {
      out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + " differs in its log start" + ranges));
    } else if (!Objects.equals(a.digest(), b.digest())) {
      out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + ": brokers " + a.broker() + " and "
          + b.broker() + " hold the same records but different bytes (digests " + a.digest() + " and "
          + b.digest() + ")"));
    }
  }

  private static TreeMap<Long, String> byOffset(ReplicaRead r) {
    TreeMap<Long, String> m = new TreeMap<>();
    r.records().forEach(s -> m.putIfAbsent(s.offset(), s.value()));
    return m;
  }

  private static String show(TreeMap<Long, String> m, long o) {
    return m.containsKey(o) ? "holds '" + m.get(o) + "'" : "holds nothing there";
  }

  private static String range(ReplicaRead r) {
    return r.records().isEmpty() ? "no records from log start " + r.logStartOffset()
        : "[" + r.logStartOffset() + ", " + (r.records().get(r.records().size() - 1).offset() + 1) + ")";
  }
}
