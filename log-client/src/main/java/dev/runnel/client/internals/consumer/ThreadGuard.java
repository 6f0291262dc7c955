package dev.runnel.client.internals.consumer;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Detects use of a consumer from two threads at once, as Kafka's consumer does: the first thread to
 * enter owns it until it leaves; re-entry by the owner is allowed.
 */
public final class ThreadGuard {
  private static final long NO_THREAD = -1;

  private final AtomicLong owner = new AtomicLong(NO_THREAD);
  private int depth;

  /** @throws ConcurrentModificationException if another thread is inside */
  public void acquire() {
    long me = Thread.currentThread().getId();
    if (owner.get() != me && !owner.compareAndSet(NO_THREAD, me)) {
      throw new ConcurrentModificationException("RunnelConsumer is not safe for multi-threaded access:"
          + " another thread is using it (only wakeup() may be called concurrently)");
    }
    depth++;
  }

  public void release() {
    if (--depth == 0) {
      owner.set(NO_THREAD);
    }
  }
}
