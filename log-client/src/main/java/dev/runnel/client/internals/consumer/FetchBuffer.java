package dev.runnel.client.internals.consumer;

import dev.runnel.client.TopicPartition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fetched data waiting for poll, at most one entry per partition. The fetch thread adds; the polling
 * thread consumes and waits here for data. Its size in bytes bounds prefetching: the fetch thread
 * sends no new fetch while it holds {@code fetch.max.bytes} or more.
 */
public final class FetchBuffer {
  private final Deque<CompletedFetch> queue = new ArrayDeque<>();
  private long bytes;
  private boolean woken;

  public synchronized void add(CompletedFetch f) {
    queue.addLast(f);
    bytes += f.sizeBytes();
    notifyAll();
  }

  public synchronized CompletedFetch peek() {
    return queue.peekFirst();
  }

  public synchronized void remove(CompletedFetch f) {
    if (queue.remove(f)) {
      bytes -= f.sizeBytes();
    }
  }

  /** Moves the head to the back, so the next poll starts with another partition. */
  public synchronized void rotate() {
    CompletedFetch f = queue.pollFirst();
    if (f != null) {
      queue.addLast(f);
    }
  }

  public synchronized void removeIf(Predicate<CompletedFetch> p) {
    queue.removeIf(f -> {
      if (p.test(f)) {
        bytes -= f.sizeBytes();
        return true;
      }
      return false;
    });
  }

  public synchronized Set<TopicPartition> partitions() {
    Set<TopicPartition> out = new HashSet<>();
    queue.forEach(f -> out.add(f.topicPartition()));
    return out;
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Waits up to {@code ms} for data or a {@link #wakeup()}. */
  public synchronized void await(long ms) throws InterruptedException {
    if (!queue.isEmpty() || woken || ms <= 0) {
      woken = false;
      return;
    }
    wait(ms);
    woken = false;
  }

  /** Ends a wait in {@link #await}: new errors, new positions, or Consumer.wakeup(). */
  public synchronized void wakeup() {
    woken = true;
    notifyAll();
  }

  public synchronized void clear() {
    queue.clear();
    bytes = 0;
  }
}
