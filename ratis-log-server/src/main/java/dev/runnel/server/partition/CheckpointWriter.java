package dev.runnel.server.partition;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes partition-store checkpoints (Raft snapshots) off the Raft apply thread, for every group
 * of a broker on a few shared threads.
 *
 * <p>Why: Ratis calls {@code takeSnapshot} on the group's apply thread, so a checkpoint taken there
 * stops the group's writes for as long as it takes. A checkpoint flushes every column family of the
 * group's store, one file each: with hundreds of partitions in a group that took seconds and was
 * the p99 of produce at 1,000 partitions (docs/performance.md). A group has at most one task here
 * at a time, so the queue is bounded by the number of groups on the broker.
 */
public final class CheckpointWriter implements AutoCloseable {

  /** Enough to keep one slow store from holding up the others; each task is mostly fsyncs. */
  public static final int DEFAULT_THREADS = 2;

  private final ExecutorService pool;
  private final Timer duration;

  /**
   * @param duration records how long each checkpoint's work took (Ratis's own take-snapshot timer
   *     sees only the hand-off to this writer)
   */
  public CheckpointWriter(int threads, Timer duration) {
    this.duration = duration;
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "runnel-checkpoint-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues {@code work}; its result or failure is read from the returned task. */
  public <T> Task<T> start(Callable<T> work) {
    Task<T> task = new Task<>(() -> duration.recordCallable(work));
    try {
      pool.execute(task::run);
    } catch (RejectedExecutionException e) {
      task.reject(new IllegalStateException("the broker's checkpoint writer is closed"));
    }
    return task;
  }

  /** Stops the threads; tasks still queued never run (their owners cancel them when closing). */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /**
   * One queued checkpoint. Its owner either reads the outcome once it is done or, when closing the
   * store the work uses, calls {@link #cancelOrAwait()}: a task that has not started never will, and
   * a running one is waited for, so the store is never closed under it.
   */
  public static final class Task<T> {
    private enum State { QUEUED, RUNNING, DONE, CANCELLED }

    private final Callable<T> work;
    private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile T result;
    private volatile Exception failure;

    private Task(Callable<T> work) {
      this.work = work;
    }

    private void run() {
      if (!state.compareAndSet(State.QUEUED, State.RUNNING)) {
        return;
      }
      try {
        result = work.call();
      } catch (Exception e) {
        failure = e;
      } catch (Error e) {
        failure = new IllegalStateException("checkpoint failed: " + e, e);
        throw e;
      } finally {
        state.set(State.DONE);
        finished.countDown();
      }
    }

    private void reject(Exception why) {
      if (state.compareAndSet(State.QUEUED, State.DONE)) {
        failure = why;
        finished.countDown();
      }
    }

    /** True once the work ran (successfully or not) or was cancelled. */
    public boolean isDone() {
      State s = state.get();
      return s == State.DONE || s == State.CANCELLED;
    }

    /**
     * The work's result, or null if it was cancelled before it ran.
     *
     * @throws Exception what the work threw
     * @throws IllegalStateException if the task is not done
     */
    public T outcome() throws Exception {
      if (!isDone()) {
        throw new IllegalStateException("checkpoint task is not done");
      }
      if (failure != null) {
        throw failure;
      }
      return result;
    }

    /** Makes sure the work is not running and never will: cancels it, or waits for its end. */
    public void cancelOrAwait() {
      if (state.compareAndSet(State.QUEUED, State.CANCELLED)) {
        finished.countDown();
        return;
      }
      boolean interrupted = false;
      while (true) {
        try {
          finished.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
