package dev.runnel.chaos.checker;

import dev.runnel.chaos.checker.LogView.Loc;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * No value at two places: idempotent producers must never duplicate, retries of acknowledged
 * writes included. Writes with an unknown outcome are left to {@link UnknownTwiceCheck}, so that
 * the two failure modes are told apart.
 */
final class DuplicateCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    log.duplicates().forEach((value, places) -> {
      ProduceOp op = log.writes.get(value);
      if (op == null || op.outcome() != ProduceOp.Outcome.UNKNOWN) {
        out.accept(new Anomaly(Anomaly.Type.DUPLICATE, log.describe(value) + " is at more than one offset: "
            + witnesses(places)));
      }
    });
  }

  /** "[t-0@3, t-0@6] on broker 0, broker 1", several such groups separated by ';'. */
  static String witnesses(Map<SortedSet<Loc>, List<String>> places) {
    StringBuilder b = new StringBuilder();
    places.forEach((locs, who) -> b.append(b.length() == 0 ? "" : "; ").append(locs).append(" on ")
        .append(String.join(", ", who)));
    return b.toString();
  }
}
