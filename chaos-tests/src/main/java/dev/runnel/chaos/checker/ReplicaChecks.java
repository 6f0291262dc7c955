package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The replicas after healing: each dense from its log start, all identical to each other (same
 * offsets, same values, same bytes), and readable.
 */
final class ReplicaChecks implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (Map.Entry<String, List<ReplicaRead>> e : log.replicas.entrySet()) {
      ReplicaRead first = null;
      for (ReplicaRead r : e.getValue()) {
        if (r.error() != null) {
          out.accept(new Anomaly(Anomaly.Type.INCOMPLETE_HISTORY, "replica of " + e.getKey() + " on broker "
              + r.broker() + " could not be read: " + r.error()));
          continue;
        }
        gaps(e.getKey(), r, out);
        if (first == null) {
          first = r;
        } else {
          compare(e.getKey(), first, r, out);
        }
      }
    }
  }

  private static void gaps(String tp, ReplicaRead r, Consumer<Anomaly> out) {
    long expected = r.logStartOffset();
    for (ReplicaRead.Stored s : r.records()) {
      if (s.offset() != expected) {
        out.accept(new Anomaly(Anomaly.Type.GAP, "replica of " + tp + " on broker " + r.broker()
            + " jumps from offset " + (expected - 1) + " to " + s.offset()));
        return;
      }
      expected++;
    }
  }

  private static void compare(String tp, ReplicaRead a, ReplicaRead b, Consumer<Anomaly> out) {
    int n = Math.min(a.records().size(), b.records().size());
    for (int i = 0; i < n; i++) {
      ReplicaRead.Stored x = a.records().get(i);
      ReplicaRead.Stored y = b.records().get(i);
      if (x.offset() != y.offset() || !x.value().equals(y.value())) {
        out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + ": broker " + a.broker() + " holds '"
            + x.value() + "' at " + x.offset() + ", broker " + b.broker() + " holds '" + y.value() + "' at "
            + y.offset()));
        out.accept(new Anomaly(Anomaly.Type.INCONSISTENT_OFFSET, tp + "@" + x.offset() + " is '" + x.value()
            + "' on broker " + a.broker() + " but '" + y.value() + "' on broker " + b.broker()));
        return;
      }
    }
    if (a.records().size() != b.records().size() || a.logStartOffset() != b.logStartOffset()) {
      out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + ": broker " + a.broker() + " holds offsets "
          + range(a) + ", broker " + b.broker() + " holds " + range(b)));
    } else if (!a.digest().equals(b.digest())) {
      out.accept(new Anomaly(Anomaly.Type.DIVERGENT_REPLICAS, tp + ": brokers " + a.broker() + " and "
          + b.broker() + " hold the same records but different bytes (digests " + a.digest() + " / "
          + b.digest() + ")"));
    }
  }

  private static String range(ReplicaRead r) {
    return "[" + r.logStartOffset() + ", " + (r.logStartOffset() + r.records().size()) + ")";
  }
}
