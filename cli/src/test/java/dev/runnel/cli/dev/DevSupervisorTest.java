package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.cli.CliException;
import dev.runnel.cli.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real child JVMs running {@link FakeBroker}. */
class DevSupervisorTest {

  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(15);

  private final List<String> output = new CopyOnWriteArrayList<>();
  private DevSupervisor supervisor;

  @AfterEach
  void stopEverything() {
    if (supervisor != null) {
      supervisor.stopAll();
      for (long pid : supervisor.pids()) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "child " + pid + " still alive");
      }
    }
  }

  private List<DevSupervisor.ChildSpec> specs(String... modes) {
    final int base = TestPorts.freeBasePort(modes.length);
    final List<DevSupervisor.ChildSpec> specs = new ArrayList<>();
    for (int i = 0; i < modes.length; i++) {
      final int port = base + DevClusterPlan.PORT_STRIDE * i;
      specs.add(new DevSupervisor.ChildSpec("fake-" + i, JavaCommand.of(
          FakeBroker.class.getName(), List.of("server", "--set", "client.port=" + port,
              "--set", "broker.id=" + i, "--set", "broker.rack=" + modes[i])), port));
    }
    return specs;
  }

  /** Whether the line shows up within 10 s: children's output is pumped by other threads. */
  private boolean outputHas(String line) {
    return eventually(() -> output.contains(line));
  }

  private static boolean eventually(BooleanSupplier condition) {
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Test
  void startsAllChildrenPrefixesTheirOutputAndStopsThemWithSigterm() throws Exception {
    supervisor = new DevSupervisor(output::add, STARTUP, STOP);
    assertTrue(supervisor.start(specs("serve", "serve")));
    assertTrue(outputHas("[fake-0] fake broker 0 starting in mode serve"), output.toString());
    assertTrue(eventually(() -> output.stream().anyMatch(l -> l.startsWith("[fake-1] listening on "))),
        output.toString());
    final long start = System.nanoTime();
    supervisor.stopAll();
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(STOP) < 0);
    // The shutdown hook ran, so the children got SIGTERM rather than SIGKILL.
    assertTrue(outputHas("[fake-0] stopping") && outputHas("[fake-1] stopping"),
        output.toString());
    assertEquals(null, supervisor.awaitFirstExit());
  }

  @Test
  void childDyingDuringStartupIsNamed() {
    supervisor = new DevSupervisor(output::add, STARTUP, STOP);
    final CliException e = assertThrows(CliException.class,
        () -> supervisor.start(specs("serve", "fail")));
    assertEquals("fake-1 exited with code 3 during startup (its output is above, prefixed "
        + "[fake-1])", e.getMessage());
    assertTrue(outputHas("[fake-1] cannot start"), output.toString());
  }

  @Test
  void childNeverListeningTimesOutNamingItsPort() {
    supervisor = new DevSupervisor(output::add, Duration.ofSeconds(3), STOP);
    final List<DevSupervisor.ChildSpec> specs = specs("silent");
    final CliException e = assertThrows(CliException.class, () -> supervisor.start(specs));
    assertEquals("fake-0 (port " + specs.get(0).readinessPort()
        + ") did not accept connections within 3 s", e.getMessage());
  }

  @Test
  void childAcceptingButNeverReadyTimesOutSayingSo() {
    supervisor = new DevSupervisor(output::add, Duration.ofSeconds(3), STOP);
    final DevSupervisor.ChildSpec fake = specs("serve").get(0);
    final AtomicInteger checks = new AtomicInteger();
    final DevSupervisor.ChildSpec unready = new DevSupervisor.ChildSpec(fake.name(),
        fake.command(), fake.readinessPort(), () -> checks.incrementAndGet() < 0);
    final CliException e = assertThrows(CliException.class,
        () -> supervisor.start(List.of(unready)));
    assertEquals("fake-0 (port " + fake.readinessPort() + ") accepted connections but did not "
        + "become ready within 3 s (a broker is ready once it sees every broker of the cluster "
        + "alive)", e.getMessage());
    assertTrue(checks.get() > 0, "readiness never checked");
  }

  @Test
  void readinessIsCheckedOnlyOnceThePortAccepts() throws Exception {
    supervisor = new DevSupervisor(output::add, STARTUP, STOP);
    final DevSupervisor.ChildSpec fake = specs("serve").get(0);
    final AtomicInteger checks = new AtomicInteger();
    final DevSupervisor.ChildSpec readyOnThird = new DevSupervisor.ChildSpec(fake.name(),
        fake.command(), fake.readinessPort(), () -> {
          assertTrue(DevSupervisor.accepts(fake.readinessPort()), "checked before listening");
          return checks.incrementAndGet() >= 3;
        });
    assertTrue(supervisor.start(List.of(readyOnThird)));
    assertEquals(3, checks.get());
  }

  @Test
  void unexpectedExitAfterStartupIsReported() throws Exception {
    supervisor = new DevSupervisor(output::add, STARTUP, STOP);
    assertTrue(supervisor.start(specs("serve", "die-after-ready")));
    assertEquals("fake-1 exited unexpectedly with code 4", supervisor.awaitFirstExit());
  }

  @Test
  void childIgnoringSigtermIsKilledAfterTheStopTimeout() throws Exception {
    supervisor = new DevSupervisor(output::add, STARTUP, Duration.ofSeconds(2));
    assertTrue(supervisor.start(specs("ignore-term")));
    final long start = System.nanoTime();
    supervisor.stopAll();
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, took.toString());
    assertTrue(outputHas("fake-0 did not stop within 2 s; killing it"), output.toString());
  }
}
