package dev.runnel.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.checker.Report;
import dev.runnel.chaos.nemesis.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The short chaos suite CI runs: three broker processes, six partitions, four idempotent producers
 * and a consumer, about 90 s of one fault family each, then a full check. Histories, reports and
 * broker logs are kept under {@code chaos-tests/target/chaos/}. Replay a run with
 * {@code -Drunnel.chaos.seed=<seed printed in the log>}.
 */
class ChaosScenariosTest {
  private static final Path OUT = Path.of("target", "chaos");

  private static Report run(String name, List<Fault> faults) throws Exception {
    Report r = ChaosRun.run(new ChaosRun.Settings(name, ChaosRun.seed(), 3, 6, 4, 40, Duration.ofSeconds(90),
        Duration.ofSeconds(2), Duration.ofSeconds(3), faults, OUT));
    assertTrue(r.valid(), r.render());
    assertTrue(r.acknowledged() > 500, "too few acknowledged writes to mean anything:\n" + r.render());
    // Each crash costs a JVM restart (10-30 s on two busy cores) before the next fault.
    assertTrue(r.faults() >= 2, "too few faults injected:\n" + r.render());
    return r;
  }

  @Test
  void processCrashesAndPauses() throws Exception {
    run("process", List.of(Fault.KILL, Fault.KILL_LEADER, Fault.KILL_CONTROLLER, Fault.PAUSE));
  }

  @Test
  void networkPartitionsAndLeadershipStorms() throws Exception {
    if (!"1".equals(System.getenv("RUNNEL_REQUIRE_NETNS"))) {
      Assumptions.assumeTrue(ChaosRun.useNamespaces(), "network faults need root (network namespaces)");
    }
    assertTrue(ChaosRun.useNamespaces(), "RUNNEL_REQUIRE_NETNS=1 but network namespaces cannot be made");
    run("network", List.of(Fault.ISOLATE, Fault.SPLIT, Fault.BRIDGE, Fault.PACKET_LOSS, Fault.SLOW_LINK,
        Fault.LATENCY, Fault.TRANSFER_STORM));
  }

  @Test
  void damagedFilesOnAMinority() throws Exception {
    run("disk", List.of(Fault.TRUNCATE_LOG, Fault.FLIP_BIT));
  }
}
