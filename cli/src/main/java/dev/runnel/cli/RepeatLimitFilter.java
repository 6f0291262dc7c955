package dev.runnel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Lets through at most {@code burst} warnings and errors of one kind (same logger, same message
 * pattern) per {@code windowMs} from loggers under {@code prefix}, and drops the rest.
 *
 * <p>Why: Apache Ratis logs some failures once per request, with a stack trace. A partition
 * replica stopped on a broker whose disk is full gets a heartbeat from its leader every few hundred
 * milliseconds, and each one is logged as an error: thousands of lines a minute onto the disk that
 * is already full. The first lines of each kind in a window still show what is wrong.
 */
public final class RepeatLimitFilter extends TurboFilter {
  private static final int MAX_KINDS = 1024;

  private String prefix = "org.apache.ratis";
  private int burst = 5;
  private long windowMs = 60_000;
  private final LongSupplier clockMs;
  private final Map<String, long[]> seen = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_KINDS;
    }
  };

  public RepeatLimitFilter() {
    this(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
  }

  RepeatLimitFilter(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** Loggers whose names start with this are limited (default org.apache.ratis). */
  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  /** Lines of one kind let through per window (default 5). */
  public void setBurst(int burst) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, got " + burst);
    }
    this.burst = burst;
  }

  /** Window length in milliseconds (default 60000). */
  public void setWindowMs(long windowMs) {
    if (windowMs < 1) {
      throw new IllegalArgumentException("windowMs must be >= 1, got " + windowMs);
    }
    this.windowMs = windowMs;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    // Called for every logging call, also below the logger's level: decide cheaply for those.
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null
        || !logger.getName().startsWith(prefix) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    String kind = logger.getName() + '\u0000' + format;
    long now = clockMs.getAsLong();
    synchronized (seen) {
      long[] window = seen.computeIfAbsent(kind, k -> new long[] {now, 0});
      if (now - window[0] >= windowMs) {
        window[0] = now;
        window[1] = 0;
      }
      return ++window[1] <= burst ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
  }
}
