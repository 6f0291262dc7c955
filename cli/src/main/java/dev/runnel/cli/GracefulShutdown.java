package dev.runnel.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stop action exactly once, triggered by whichever comes first: a signal (Ctrl-C,
 * SIGTERM), through a JVM shutdown hook, or the main thread calling {@link #stopNow()}.
 *
 * <p>When a signal triggered the stop and it completed cleanly, the hook halts the JVM with exit
 * code 0. Otherwise the JVM would report 130 or 143 (128 + signal) for a stop the operator asked
 * for, which systemd and scripts read as a failure. Other shutdown hooks may be cut short by the
 * halt, so the stop action must do all the cleanup that matters.
 */
public final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private final Runnable stopAction;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private GracefulShutdown(String name, Runnable stopAction) {
    this.stopAction = stopAction;
    this.hook = new Thread(this::onSignal, name + "-shutdown");
  }

  /** Registers the shutdown hook; call {@link #stopNow()} when the main thread is done. */
  public static GracefulShutdown install(String name, Runnable stopAction) {
    final GracefulShutdown shutdown = new GracefulShutdown(name, stopAction);
    Runtime.getRuntime().addShutdownHook(shutdown.hook);
    return shutdown;
  }

  /** Whether a stop has begun (from a signal or from {@link #stopNow()}). */
  public boolean isStopping() {
    return started.get();
  }

  /**
   * Stops from the main thread (waiting if a signal already started the stop) and removes the
   * hook.
   */
  public void stopNow() throws InterruptedException {
    if (started.compareAndSet(false, true)) {
      try {
        stopAction.run();
      } finally {
        finished.countDown();
      }
    } else {
      finished.await();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook has done or is doing its part.
    }
  }

  private void onSignal() {
    if (!started.compareAndSet(false, true)) {
      // The main thread stopped first and is exiting with its own code.
      return;
    }
    int exitCode = 0;
    try {
      stopAction.run();
    } catch (RuntimeException e) {
      LOG.error("Clean stop failed", e);
      exitCode = 1;
    } finally {
      finished.countDown();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(exitCode);
  }
}
