package dev.runnel.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartGateTest {

  @Test
  void opensOnlyOnceEveryProducerHasArrivedAndReleasesThemAfterTheStartTime() throws Exception {
    StartGate gate = new StartGate(2);
    AtomicLong released = new AtomicLong();
    CountDownLatch waiting = new CountDownLatch(1);
    Thread first = new Thread(() -> {
      gate.arrive();
      waiting.countDown();
      try {
        gate.awaitOpen();
        released.set(System.nanoTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    first.start();
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    CompletableFuture<Long> start = CompletableFuture.supplyAsync(() -> {
      try {
        return gate.openWhenReady();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    // One of two producers has arrived: the run has not started, and the first one still waits.
    Thread.sleep(200);
    assertFalse(start.isDone());
    assertEquals(0, released.get());

    gate.arrive();
    long startedAt = start.get(10, TimeUnit.SECONDS);
    first.join(10_000);
    assertFalse(first.isAlive());
    assertTrue(released.get() - startedAt >= 0, "a producer began before the run's start time");
  }

  @Test
  void aProducerThatFailedBeforeConnectingStillLetsTheRunStart() throws Exception {
    StartGate gate = new StartGate(3);
    gate.arrive();
    gate.arrive();
    // The third producer's constructor threw: LoadProducer's finally arrives for it.
    new Thread(gate::arrive).start();
    CompletableFuture<Long> start = CompletableFuture.supplyAsync(() -> {
      try {
        return gate.openWhenReady();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    start.get(10, TimeUnit.SECONDS); // times out, failing the test, if the gate never opens
    assertTrue(start.isDone());
  }
}
