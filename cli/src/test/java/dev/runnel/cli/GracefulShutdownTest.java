package dev.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void sigtermRunsTheStopActionAndExitsZero() throws Exception {
    try (ChildJvm child = ChildJvm.start(ShutdownHarness.class)) {
      child.awaitOutLine("ready", TIMEOUT);
      child.process().toHandle().destroy();
      assertEquals(0, child.awaitExit(TIMEOUT), child.err().toString());
      assertTrue(child.out().contains("stopped"), child.out().toString());
    }
  }

  @Test
  void failedStopExitsOne() throws Exception {
    try (ChildJvm child = ChildJvm.start(ShutdownHarness.class, "fail")) {
      child.awaitOutLine("ready", TIMEOUT);
      child.process().toHandle().destroy();
      assertEquals(1, child.awaitExit(TIMEOUT));
      assertTrue(child.out().contains("stopped"), child.out().toString());
    }
  }

  @Test
  void stopNowRunsTheActionOnceAndRemovesTheHook() throws Exception {
    final AtomicInteger runs = new AtomicInteger();
    final GracefulShutdown shutdown = GracefulShutdown.install("test", runs::incrementAndGet);
    shutdown.stopNow();
    shutdown.stopNow();
    assertEquals(1, runs.get());
    assertTrue(shutdown.isStopping());
  }
}
