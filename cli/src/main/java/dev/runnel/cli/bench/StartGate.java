package dev.runnel.cli.bench;

import java.util.concurrent.CountDownLatch;

/**
 * Holds every benchmark producer at the start line until all of them are connected (they have the
 * topic's metadata), then lets them go at once. A fixed-rate run
 * measures each record from its intended send time, so without the gate the client's bootstrap
 * (cluster metadata, a cold JVM's first connection) counted as latency for every record scheduled
 * during it: at 20,000 records/s half a second of bootstrap was 10,000 late records, enough to set
 * a 600,000-record run's p99 (docs/performance.md). Load tools such as the OpenMessaging Benchmark
 * likewise connect before they measure.
 */
final class StartGate {
  private final CountDownLatch ready;
  private final CountDownLatch open = new CountDownLatch(1);

  StartGate(int producers) {
    this.ready = new CountDownLatch(producers);
  }

  /** Called once by each producer when it is ready, or when it gave up before it was. */
  void arrive() {
    ready.countDown();
  }

  /** Waits until the gate opens. */
  void awaitOpen() throws InterruptedException {
    open.await();
  }

  /**
   * Waits for every producer to arrive, opens the gate and returns when it opened (nanoTime).
   * Bounded: a producer arrives once connected or once it failed, and connecting is bounded by the
   * producer's {@code max.block.ms}.
   */
  long openWhenReady() throws InterruptedException {
    ready.await();
    long start = System.nanoTime();
    open.countDown();
    return start;
  }
}
