package dev.runnel.server.storage;

import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Decides whether this broker's data directory has room to keep its partition replicas in service.
 *
 * <p>Below {@code minFreeBytes} free, or as soon as a write fails for lack of space, the directory
 * is <em>low</em>: the broker stops its replicas before a write half-lands on a full disk (the
 * metadata member keeps running on the reserve). It is <em>ok</em> again once at least
 * {@code resumeFreeBytes} are free and, after a failed write, {@code holdMs} have passed: the gap
 * between the two thresholds and the hold keep a directory at the edge from flapping between the
 * two.
 *
 * <p>Not thread-safe: the broker calls it from one scheduled task.
 */
public final class DiskSpaceGuard {

  /** A change of state, with what the operator needs to read in the log. */
  public record Change(boolean low, long freeBytes, String reason) {}

  private final long minFreeBytes;
  private final long resumeFreeBytes;
  private final long holdMs;
  private final LongSupplier freeBytes;
  private final LongSupplier clockMs;
  private boolean low;
  private long holdUntilMs = Long.MIN_VALUE;
  private long lastFree = -1;
  private String reason = "";

  /**
   * @param freeBytes probes the bytes free to this process on the data directory's file system
   * @param clockMs monotonic milliseconds
   */
  public DiskSpaceGuard(long minFreeBytes, long resumeFreeBytes, long holdMs, LongSupplier freeBytes,
      LongSupplier clockMs) {
    if (minFreeBytes < 0 || resumeFreeBytes < minFreeBytes || holdMs < 0) {
      throw new IllegalArgumentException("need 0 <= minFreeBytes <= resumeFreeBytes and holdMs >= 0, got "
          + minFreeBytes + ", " + resumeFreeBytes + ", " + holdMs);
    }
    this.minFreeBytes = minFreeBytes;
    this.resumeFreeBytes = resumeFreeBytes;
    this.holdMs = holdMs;
    this.freeBytes = freeBytes;
    this.clockMs = clockMs;
  }

  /** Probes the free space; returns the change of state, if any. */
  public Optional<Change> check() {
    long free = freeBytes.getAsLong();
    lastFree = free;
    if (!low && free < minFreeBytes) {
      return changeTo(true, free, bytes(free) + " free, below storage.min.free.bytes ("
          + bytes(minFreeBytes) + ")");
    }
    if (low && free >= resumeFreeBytes && clockMs.getAsLong() >= holdUntilMs) {
      return changeTo(false, free, bytes(free) + " free again (resuming at " + bytes(resumeFreeBytes)
          + ")");
    }
    return Optional.empty();
  }

  /**
   * A write failed for lack of space: low now, whatever the last probe said (another process may
   * have filled the disk since), and for at least {@code holdMs}.
   */
  public Optional<Change> noSpace(String what) {
    holdUntilMs = clockMs.getAsLong() + holdMs;
    if (low) {
      return Optional.empty();
    }
    return changeTo(true, lastFree, "a write failed for lack of space (" + what + ")");
  }

  private Optional<Change> changeTo(boolean nowLow, long free, String why) {
    low = nowLow;
    reason = why;
    return Optional.of(new Change(nowLow, free, why));
  }

  public boolean isLow() {
    return low;
  }

  /** Why the directory is low (empty while it is ok). */
  public String reason() {
    return low ? reason : "";
  }

  /** Free bytes at the last probe; -1 before the first. */
  public long lastFreeBytes() {
    return lastFree;
  }

  /** Whether a failure, or one of its causes, is the file system running out of space (ENOSPC). */
  public static boolean isNoSpace(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof RocksDBException r && r.getStatus() != null
          && r.getStatus().getSubCode() == Status.SubCode.NoSpace) {
        return true;
      }
      if (String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT).contains("no space left on device")) {
        return true;
      }
    }
    return false;
  }

  static String bytes(long b) {
    return b < 0 ? "unknown" : b >= (1L << 20) ? (b >> 20) + " MiB" : b + " bytes";
  }
}
