package dev.runnel.chaos.checker;

import dev.runnel.chaos.history.History;
import java.util.function.Consumer;

/** One family of invariants checked over a whole history. */
interface Check {
  void check(History h, LogView log, Consumer<Anomaly> out);
}
