package dev.runnel.cli.bench;

import java.util.OptionalLong;

/**
 * When the first record after the warm-up was sent, across a run's producers (nanoTime): the start
 * of the steady-state figures, as in Kafka's ProducerPerformance {@code --warmup-records}.
 */
final class SteadyStart {
  private boolean seen;
  private long at;

  synchronized void sentAt(long nanos) {
    if (!seen || nanos - at < 0) {
      at = nanos;
      seen = true;
    }
  }

  /** Empty when no producer got past its warm-up. */
  synchronized OptionalLong get() {
    return seen ? OptionalLong.of(at) : OptionalLong.empty();
  }
}
