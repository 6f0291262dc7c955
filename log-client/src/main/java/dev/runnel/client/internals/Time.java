package dev.runnel.client.internals;

import java.util.concurrent.TimeUnit;

/** Clock seam: wall-clock time for record timestamps, monotonic time for timeouts. */
public interface Time {
  Time SYSTEM = new Time() {
    @Override
    public long wallMs() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }
  };

  /** Milliseconds since the epoch. */
  long wallMs();

  /** Monotonic nanoseconds (arbitrary origin). */
  long nanos();

  /** Monotonic milliseconds (arbitrary origin), for deadlines and ages. */
  default long monoMs() {
    return TimeUnit.NANOSECONDS.toMillis(nanos());
  }
}
