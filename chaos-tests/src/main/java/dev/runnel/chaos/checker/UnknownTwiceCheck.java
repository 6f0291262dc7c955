package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ProduceOp;
import java.util.function.Consumer;

/**
 * A write whose outcome is unknown (timeout, lost connection) may be in the log once or not at all,
 * never twice. Reported apart from {@link DuplicateCheck}: it points at retries of unanswered sends
 * rather than at acknowledged ones.
 */
final class UnknownTwiceCheck implements Check {
  @Override
  public void check(History h, LogView log, Consumer<Anomaly> out) {
    log.duplicates().forEach((value, places) -> {
      ProduceOp op = log.writes.get(value);
      if (op != null && op.outcome() == ProduceOp.Outcome.UNKNOWN) {
        out.accept(new Anomaly(Anomaly.Type.UNKNOWN_TWICE, log.describe(value) + " (" + op.error()
            + ") is at more than one offset: " + DuplicateCheck.witnesses(places)));
      }
    });
  }
}
