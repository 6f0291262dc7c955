package dev.runnel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM started with this test's classpath; collects stdout and stderr separately. */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private ChildJvm(Process process) {
    this.process = process;
    this.outReader = collect(process.getInputStream(), out);
    this.errReader = collect(process.getErrorStream(), err);
  }

  /** Starts {@code java -cp <test classpath> mainClass args}. */
  public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    final ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("RUNNEL_"));
    return new ChildJvm(builder.start());
  }

  public Process process() {
    return process;
  }

  /** Waits for the process to exit, killing it after the timeout; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("child did not exit within " + timeout + "; out=" + out()
          + " err=" + err());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  /** Waits until stdout has a line containing {@code text}. */
  public void awaitOutLine(String text, Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (out().stream().anyMatch(line -> line.contains(text))) {
        return;
      }
      if (!process.isAlive() && !outReader.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line with '" + text + "' in " + out() + " / " + err());
  }

  public List<String> out() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  public List<String> err() {
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Thread collect(java.io.InputStream stream, List<String> lines) {
    final Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // The process ended.
      }
    });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
