package dev.runnel.cli.dev;

import dev.runnel.cli.CliException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Starts child processes, waits until each accepts connections on its port and is ready, watches
 * for one dying, and stops them all: SIGTERM, a bounded wait, then SIGKILL.
 */
final class DevSupervisor {

  /**
   * One child to run.
   *
   * @param name for messages and the output prefix, e.g. {@code broker-1}
   * @param readinessPort the child is ready once this loopback port accepts connections
   * @param ready checked once the port accepts: the child is ready when this is true too (e.g.
   *     a broker that sees the whole cluster); it must return within a second or two
   */
  record ChildSpec(String name, List<String> command, int readinessPort, BooleanSupplier ready) {

    /** A child that is ready as soon as its port accepts connections. */
    ChildSpec(String name, List<String> command, int readinessPort) {
      this(name, command, readinessPort, () -> true);
    }
  }

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
  /**
   * Ctrl-C in a terminal reaches the children too, and one may exit a moment before this
   * process's own stop begins; a child exit is only "unexpected" if no stop began within this.
   */
  private static final Duration SIGNAL_GRACE = Duration.ofMillis(500);

  private final Consumer<String> output;
  private final Duration startupTimeout;
  private final Duration stopTimeout;
  private final List<ChildProcess> children = new ArrayList<>();
  private volatile boolean stopping;

  DevSupervisor(Consumer<String> output, Duration startupTimeout, Duration stopTimeout) {
    this.output = output;
    this.startupTimeout = startupTimeout;
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts every child and waits until all are ready.
   *
   * @return true when all are ready, false when {@link #stopAll()} was called meanwhile
   * @throws CliException naming the child that could not start, died or did not become ready in
   *     time; the caller must still call {@link #stopAll()}
   */
  boolean start(List<ChildSpec> specs) throws InterruptedException {
    for (ChildSpec spec : specs) {
      try {
        synchronized (this) {
          if (stopping) {
            return false;
          }
          children.add(ChildProcess.start(spec.name(), spec.command(), output));
        }
      } catch (IOException e) {
        throw new CliException("cannot start " + spec.name() + ": " + e.getMessage());
      }
    }
    return awaitReady(specs);
  }

  private boolean awaitReady(List<ChildSpec> specs) throws InterruptedException {
    final long deadline = System.nanoTime() + startupTimeout.toNanos();
    final boolean[] ready = new boolean[specs.size()];
    final boolean[] accepting = new boolean[specs.size()];
    int readyCount = 0;
    while (readyCount < specs.size()) {
      for (int i = 0; i < specs.size(); i++) {
        if (ready[i]) {
          continue;
        }
        final ChildProcess child = children.get(i);
        if (!child.isAlive()) {
          if (stopRequestedWithinGrace()) {
            return false;
          }
          throw new CliException(child.name() + " exited with code " + child.exitCode()
              + " during startup (its output is above, prefixed [" + child.name() + "])");
        }
        accepting[i] = accepting[i] || accepts(specs.get(i).readinessPort());
        if (accepting[i] && specs.get(i).ready().getAsBoolean()) {
          ready[i] = true;
          readyCount++;
        }
      }
      if (stopping) {
        return false;
      }
      if (readyCount < specs.size()) {
        if (System.nanoTime() > deadline) {
          throw new CliException(notReadyMessage(specs, ready, accepting));
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
    }
    return true;
  }

  private String notReadyMessage(List<ChildSpec> specs, boolean[] ready, boolean[] accepting) {
    final List<String> silent = new ArrayList<>();
    final List<String> unready = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (!ready[i]) {
        (accepting[i] ? unready : silent).add(
            specs.get(i).name() + " (port " + specs.get(i).readinessPort() + ")");
      }
    }
    final String within = " within " + startupTimeout.toSeconds() + " s";
    final List<String> parts = new ArrayList<>();
    if (!silent.isEmpty()) {
      parts.add(String.join(", ", silent) + " did not accept connections" + within);
    }
    if (!unready.isEmpty()) {
      parts.add(String.join(", ", unready) + " accepted connections but did not become ready"
          + within + " (a broker is ready once it sees every broker of the cluster alive)");
    }
    return String.join("; ", parts);
  }

  /**
   * Blocks until some child exits.
   *
   * @return a description such as "broker-1 exited unexpectedly with code 137", or null when the
   *     exit was part of {@link #stopAll()}
   */
  String awaitFirstExit() throws InterruptedException {
    final List<CompletableFuture<?>> exits = new ArrayList<>();
    synchronized (this) {
      children.forEach(child -> exits.add(child.onExit()));
    }
    try {
      CompletableFuture.anyOf(exits.toArray(new CompletableFuture<?>[0])).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Process.onExit cannot fail", e);
    }
    if (stopRequestedWithinGrace()) {
      return null;
    }
    for (ChildProcess child : children) {
      if (!child.isAlive()) {
        return child.name() + " exited unexpectedly with code " + child.exitCode();
      }
    }
    throw new IllegalStateException("a child exited but none is dead");
  }

  /** Stops every child: SIGTERM to all, then SIGKILL to those still running after the timeout. */
  void stopAll() {
    final List<ChildProcess> toStop;
    synchronized (this) {
      stopping = true;
      toStop = List.copyOf(children);
    }
    try {
      stop(toStop);
    } catch (InterruptedException e) {
      toStop.forEach(ChildProcess::kill);
      Thread.currentThread().interrupt();
    }
  }

  /** Process ids of the children started so far. */
  synchronized List<Long> pids() {
    final List<Long> pids = new ArrayList<>();
    children.forEach(child -> pids.add(child.pid()));
    return pids;
  }

  private void stop(List<ChildProcess> toStop) throws InterruptedException {
    toStop.forEach(ChildProcess::requestStop);
    final long deadline = System.nanoTime() + stopTimeout.toNanos();
    for (ChildProcess child : toStop) {
      final Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!child.awaitExit(left)) {
        output.accept(child.name() + " did not stop within " + stopTimeout.toSeconds()
            + " s; killing it");
        child.kill();
        child.awaitExit(KILL_WAIT);
      }
    }
    for (ChildProcess child : toStop) {
      child.awaitOutput(OUTPUT_DRAIN);
    }
  }

  private boolean stopRequestedWithinGrace() throws InterruptedException {
    final long deadline = System.nanoTime() + SIGNAL_GRACE.toNanos();
    while (!stopping && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return stopping;
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          (int) CONNECT_TIMEOUT.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
