package dev.runnel.cli.dev;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A child process whose output (stdout and stderr merged) is forwarded line by line. */
final class ChildProcess {

  /** Named limit: longer output lines are split, so one runaway line cannot exhaust memory. */
  static final int MAX_LINE_CHARS = 16 * 1024;

  private final String name;
  private final Process process;
  private final Thread pump;

  private ChildProcess(String name, Process process, Thread pump) {
    this.name = name;
    this.process = process;
    this.pump = pump;
  }

  /** Starts {@code command}; every output line goes to {@code sink} as {@code [name] line}. */
  static ChildProcess start(String name, List<String> command, Consumer<String> sink)
      throws IOException {
    final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    final String prefix = "[" + name + "] ";
    final Thread pump = new Thread(() -> forward(process, line -> sink.accept(prefix + line)),
        name + "-output");
    pump.setDaemon(true);
    pump.start();
    return new ChildProcess(name, process, pump);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code; only valid once the process has exited. */
  int exitCode() {
    return process.exitValue();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /**
   * Asks the process to stop (SIGTERM on Unix). Goes through the ProcessHandle because
   * Process.destroy() also closes our end of the output pipe, losing the shutdown log.
   */
  void requestStop() {
    process.toHandle().destroy();
  }

  /** Kills the process (SIGKILL on Unix). */
  void kill() {
    process.toHandle().destroyForcibly();
  }

  /** Waits up to {@code timeout} for the process to exit; true when it has. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Waits up to {@code timeout} for the last output lines to be forwarded. */
  void awaitOutput(Duration timeout) throws InterruptedException {
    pump.join(Math.max(1, timeout.toMillis()));
  }

  private static void forward(Process process, Consumer<String> lines) {
    try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      splitLines(reader, lines);
    } catch (IOException e) {
      // The process went away; nothing more to forward.
    }
  }

  /** Splits text at newlines, dropping carriage returns and splitting over-long lines. */
  static void splitLines(Reader reader, Consumer<String> lines) throws IOException {
    final StringBuilder line = new StringBuilder();
    final char[] buffer = new char[8192];
    int read;
    while ((read = reader.read(buffer)) != -1) {
      for (int i = 0; i < read; i++) {
        final char c = buffer[i];
        if (c == '\n') {
          lines.accept(line.toString());
          line.setLength(0);
        } else if (c != '\r') {
          line.append(c);
          if (line.length() >= MAX_LINE_CHARS) {
            lines.accept(line.toString());
            line.setLength(0);
          }
        }
      }
    }
    if (line.length() > 0) {
      lines.accept(line.toString());
    }
  }
}
