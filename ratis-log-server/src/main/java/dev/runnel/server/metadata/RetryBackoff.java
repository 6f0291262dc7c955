package dev.runnel.server.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-key exponential back-off for work the controller retries on every pass. A group a broker
 * cannot create (out of direct memory for its Raft write buffer, a full disk) failed on every
 * 200 ms pass, and each failure logged a warning here and a stack trace in Ratis: thousands of
 * lines a minute. A key that failed waits {@code first}, then twice as long after each further
 * failure, up to {@code max}; a success forgets it. Not thread-safe: the controller's one thread
 * uses it.
 */
final class RetryBackoff<K> {
  private static final int SWEEP_AT = 1024;

  private final long firstMs;
  private final long maxMs;
  private final LongSupplier clockMs;
  private final Map<K, long[]> failures = new HashMap<>(); // key -> {retry at, current delay}

  RetryBackoff(long firstMs, long maxMs, LongSupplier clockMs) {
    if (firstMs < 1 || maxMs < firstMs) {
      throw new IllegalArgumentException("need 1 <= first <= max, got " + firstMs + ", " + maxMs);
    }
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.clockMs = clockMs;
  }

  /** Whether the key may be tried now: it never failed, or its wait is over. */
  boolean due(K key) {
    long[] f = failures.get(key);
    return f == null || clockMs.getAsLong() >= f[0];
  }

  /**
   * Records a failure and schedules the next try.
   *
   * @return true on the key's first failure since its last success (worth a warning), false after
   */
  boolean failed(K key) {
    if (failures.size() >= SWEEP_AT) {
      // Keys nobody retried for a while (a deleted topic's groups, a restarted broker's old
      // incarnation) are dropped, so the map stays bounded.
      long stale = clockMs.getAsLong() - 2 * maxMs;
      failures.values().removeIf(v -> v[0] < stale);
    }
    long[] f = failures.get(key);
    boolean first = f == null;
    long delay = first ? firstMs : Math.min(maxMs, f[1] * 2);
    failures.put(key, new long[] {clockMs.getAsLong() + delay, delay});
    return first;
  }

  /** The wait after the key's latest failure, or 0 if it has none. */
  long delayMs(K key) {
    long[] f = failures.get(key);
    return f == null ? 0 : f[1];
  }

  void succeeded(K key) {
    failures.remove(key);
  }

  /** Keys currently waiting, for tests and metrics. */
  int waiting() {
    return failures.size();
  }
}
