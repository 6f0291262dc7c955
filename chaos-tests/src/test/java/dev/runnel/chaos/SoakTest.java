package dev.runnel.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.checker.Report;
import dev.runnel.chaos.nemesis.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long soak, over every fault kind; off unless asked for:
 *
 * <pre>
 * ./mvnw -B -pl chaos-tests -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Drunnel.chaos.soak.minutes=30 [-Drunnel.chaos.seed=N] [-Drunnel.chaos.out=DIR] \
 *     [-Drunnel.chaos.faults=LATENCY,KILL]
 * </pre>
 *
 * History, report and broker logs go to {@code DIR/soak-<seed>} (default
 * {@code chaos-tests/target/chaos-soak}).
 */
@EnabledIfSystemProperty(named = "runnel.chaos.soak.minutes", matches = "[0-9]+")
class SoakTest {
  @Test
  void everyFaultKind() throws Exception {
    long minutes = Long.parseLong(System.getProperty("runnel.chaos.soak.minutes"));
    Path out = Path.of(System.getProperty("runnel.chaos.out", "target/chaos-soak"));
    Report r = ChaosRun.run(new ChaosRun.Settings("soak", ChaosRun.seed(), 3, 6, 4, 40,
        Duration.ofMinutes(minutes), Duration.ofSeconds(3), Duration.ofSeconds(4), faults(), out));
    assertTrue(r.valid(), r.render());
  }

  /** Every kind, or the comma-separated names in {@code runnel.chaos.faults}. */
  private static List<Fault> faults() {
    String names = System.getProperty("runnel.chaos.faults", "").strip();
    if (names.isEmpty()) {
      return List.of(Fault.values());
    }
    List<Fault> faults = new ArrayList<>();
    for (String name : names.split(",")) {
      try {
        faults.add(Fault.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("runnel.chaos.faults: unknown fault '" + name.strip()
            + "'; known: " + Arrays.toString(Fault.values()), e);
      }
    }
    return faults;
  }
}
