package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.cli.CliRunner;
import dev.runnel.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel dev} in-process; child brokers are {@link dev.runnel.cli.FakeBroker} JVMs. */
class DevCommandTest {

  @TempDir Path dir;

  @Test
  void oneBrokerRunsInProcessWithGeneratedSettings() {
    final int base = TestPorts.freeBasePort(1);
    final AtomicReference<ServerConfig> started = new AtomicReference<>();
    final CliRunner.Run run = CliRunner.run(Map.of(), config -> {
      started.set(config);
      return new CliRunner.FakeRunningBroker("localhost:" + base);
    }, "dev", "--data-dir", dir.toString(), "--base-port", Integer.toString(base));
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("Runnel is up. Bootstrap address: localhost:" + base + "\n", run.out());
    assertEquals(dir.resolve("broker-0"), started.get().dataDir());
    assertEquals(1, started.get().defaultReplicationFactor());
    assertEquals(base + 1, started.get().raftPort());
  }

  @Test
  void oneBrokerIsUpOnlyOnceItSeesItselfRegistered() {
    final int base = TestPorts.freeBasePort(1);
    final AtomicInteger probes = new AtomicInteger();
    final CliRunner.Run run = CliRunner.run(Map.of(),
        config -> new CliRunner.FakeRunningBroker("localhost:" + base), (address, brokers) -> {
          assertEquals("localhost:" + base, address);
          assertEquals(1, brokers);
          return probes.incrementAndGet() >= 3;
        }, "dev", "--data-dir", dir.toString(), "--base-port", Integer.toString(base));
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(3, probes.get());
    assertEquals("Runnel is up. Bootstrap address: localhost:" + base + "\n", run.out());
  }

  @Test
  void oneBrokerThatNeverRegistersFailsAfterTheStartupTimeout() {
    final int base = TestPorts.freeBasePort(1);
    final CliRunner.Run run = CliRunner.run(Map.of(),
        config -> new CliRunner.FakeRunningBroker("localhost:" + base), (address, brokers) -> false,
        "dev", "--data-dir", dir.toString(), "--base-port", Integer.toString(base),
        "--startup-timeout", "1");
    assertEquals(1, run.exitCode(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().endsWith("runnel: error: broker-0 (localhost:" + base + ") accepted "
        + "connections but did not register within 1 s\n"), run.err());
  }

  @Test
  void portInUseIsRefusedBeforeAnythingStarts() throws Exception {
    final int base = TestPorts.freeBasePort(1);
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(base + 2));
      final CliRunner.Run run = CliRunner.run(Map.of(), config -> {
        throw new AssertionError("must not start");
      }, "dev", "--base-port", Integer.toString(base), "--data-dir", dir.toString());
      assertEquals(1, run.exitCode());
      assertEquals("runnel: error: port " + (base + 2) + " (http port of broker-0) is already "
          + "in use. Stop what uses it or choose another --base-port.\n", run.err());
    }
  }

  @Test
  void badOptionsAndSettingsAreUsageErrors() {
    final CliRunner.Run brokers = CliRunner.run("dev", "--brokers", "10");
    assertEquals(2, brokers.exitCode());
    assertTrue(brokers.err().startsWith("runnel: error: --brokers must be 1..9, not 10\n"),
        brokers.err());
    final CliRunner.Run timeout = CliRunner.run("dev", "--startup-timeout", "0");
    assertEquals(2, timeout.exitCode());
    final CliRunner.Run setting = CliRunner.run("dev", "--brokers", "3", "--set", "num.partitions=0");
    assertEquals(2, setting.exitCode());
    assertEquals("runnel: error: num.partitions: '0' is out of range (1..100000), from --set\n",
        setting.err());
  }

  @Test
  void childBrokerDyingStopsTheOthersAndFails() {
    final int base = TestPorts.freeBasePort(3);
    final CliRunner.Run run = CliRunner.run("dev", "--brokers", "3", "--base-port",
        Integer.toString(base), "--data-dir", dir.toString(), "--set",
        "broker.rack=die-if-broker-1");
    assertEquals(1, run.exitCode(), run.err());
    final String bootstrap = "localhost:" + base + ",localhost:" + (base + 100) + ",localhost:"
        + (base + 200);
    assertEquals("Runnel is up. Bootstrap address: " + bootstrap + "\n", run.out());
    assertTrue(run.err().contains("[broker-2] listening on " + (base + 200)), run.err());
    assertTrue(run.err().contains("[broker-0] stopping"), run.err());
    assertTrue(run.err().endsWith("runnel: error: broker-1 exited unexpectedly with code 4; "
        + "the other brokers were stopped\n"), run.err());
  }
}
