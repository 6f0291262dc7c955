package dev.runnel.client.internals.producer;

import java.util.Random;

/**
 * Exponential backoff with jitter: {@code initial * 2^(attempt-1)}, capped at {@code max}, then spread
 * by +/-20% so clients that failed together do not retry together.
 */
public final class Backoff {
  private static final double JITTER = 0.2;

  private final long initialMs;
  private final long maxMs;
  private final Random random;

  public Backoff(long initialMs, long maxMs, Random random) {
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
    this.random = random;
  }

  /** The wait before attempt {@code attempts + 1}, given {@code attempts} made so far (from 1). */
  public long delayMs(int attempts) {
    if (initialMs == 0) {
      return 0;
    }
    int shift = Math.max(0, Math.min(30, attempts - 1));
    double base = Math.min((double) maxMs, initialMs * (double) (1L << shift));
    double factor;
    synchronized (random) {
      factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
    }
    return Math.max(1, Math.round(base * factor));
  }
}
