package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ReplicaRead;
import java.util.List;
import java.util.function.Consumer;

/** Each replica's offsets run densely from its log start: no hole, no repeat, no step back. */
final class GapCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    for (List<ReplicaRead> reads : log.replicas.values()) {
      for (ReplicaRead r : reads) {
        long expected = r.logStartOffset();
        for (ReplicaRead.Stored s : r.records()) {
          if (s.offset() != expected) {
            String where = expected == r.logStartOffset()
                ? "starts at offset " + s.offset() + " though its log start is " + expected
                : "goes from offset " + (expected - 1) + " to " + s.offset();
            out.accept(new Anomaly(Anomaly.Type.GAP, "the replica of " + LogView.tp(r.topic(), r.partition())
                + " on broker " + r.broker() + " " + where + " ('" + s.value() + "')"));
            break;  // the rest of this replica would only repeat the finding
          }
          expected++;
        }
      }
    }
  }
}
