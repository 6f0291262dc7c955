package dev.runnel.client.internals.producer;

import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.RecordTooLargeException;
import dev.runnel.client.errors.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the bytes of records the producer holds ({@code buffer.memory}). A sender reserves a record's
 * estimated size before appending it and the bytes come back when its batch completes; when the budget
 * is spent, {@link #reserve} blocks up to {@code max.block.ms} and then fails with a message that says
 * what to change.
 */
public final class MemoryLimiter {
  private final long totalBytes;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition freed = lock.newCondition();
  private long availableBytes;

  public MemoryLimiter(long totalBytes) {
    if (totalBytes <= 0) {
      throw new IllegalArgumentException("buffer.memory must be positive: " + totalBytes);
    }
    this.totalBytes = totalBytes;
    this.availableBytes = totalBytes;
  }

  /**
   * Takes {@code bytes} from the budget, waiting up to {@code maxBlockMs} for batches to complete.
   *
   * @throws RecordTooLargeException if the record alone is larger than the whole budget
   * @throws TimeoutException if the bytes did not become free in time
   */
  public void reserve(int bytes, long maxBlockMs) {
    if (bytes > totalBytes) {
      throw new RecordTooLargeException("the record needs about " + bytes + " bytes, more than the"
          + " producer's whole buffer.memory of " + totalBytes + " bytes");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
    lock.lock();
    try {
      while (availableBytes < bytes) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("the producer's buffer.memory (" + totalBytes + " bytes) stayed"
              + " full for max.block.ms (" + maxBlockMs + " ms): records are produced faster than the"
              + " brokers acknowledge them, or the brokers are unreachable. Raise buffer.memory or"
              + " max.block.ms, or slow down.");
        }
        freed.awaitNanos(left);
      }
      availableBytes -= bytes;
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted while waiting for buffer.memory", e);
    } finally {
      lock.unlock();
    }
  }

  /** Returns bytes to the budget and wakes waiting senders. */
  public void release(int bytes) {
    if (bytes <= 0) {
      return;
    }
    lock.lock();
    try {
      availableBytes = Math.min(totalBytes, availableBytes + bytes);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public long availableBytes() {
    lock.lock();
    try {
      return availableBytes;
    } finally {
      lock.unlock();
    }
  }

  public long totalBytes() {
    return totalBytes;
  }
}
