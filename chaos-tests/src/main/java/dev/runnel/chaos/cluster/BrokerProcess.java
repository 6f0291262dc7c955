package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One broker as an operating-system process, started the way operators start it
 * ({@code runnel server --config FILE}, the CLI's entry point) from this JVM's class path, with
 * its output in a log file. Knows its pid for SIGKILL, SIGSTOP and SIGCONT.
 */
public final class BrokerProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final int id;
  private final Path config;
  private final Path log;
  private final List<String> prefix;
  private final String healthUrl;
  private Process process;
  private boolean paused;

  BrokerProcess(int id, Path dir, Map<String, String> settings, List<String> prefix, String healthUrl)
      throws IOException {
    this.id = id;
    this.prefix = prefix;
    this.healthUrl = healthUrl;
    Files.createDirectories(dir);
    this.config = dir.resolve("broker-" + id + ".properties");
    this.log = dir.resolve("broker-" + id + ".log");
    StringBuilder b = new StringBuilder();
    settings.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(config, b.toString());
  }

  public int id() {
    return id;
  }

  public Path log() {
    return log;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts the process; returns without waiting for it to be healthy. */
  public synchronized void start() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("broker " + id + " is running");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(prefix);
    // C1 only: several JVMs share two cores here, and restarts must not spend them compiling.
    cmd.addAll(List.of(java, "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.runnel.cli.Main", "server", "--config", config.toString()));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    paused = false;
  }

  /** Whether /health answers 200 (registered and caught up). */
  public boolean isHealthy() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      if (paused) {
        resume();
      }
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGTERM and wait: a clean stop. */
  public synchronized void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      if (paused) {
        resume();
      }
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public synchronized void pause() throws IOException {
    if (isRunning() && !paused) {
      Shell.run("kill", "-STOP", Long.toString(process.pid()));
      paused = true;
    }
  }

  public synchronized void resume() {
    if (process != null && paused) {
      Shell.quietly("kill", "-CONT", Long.toString(process.pid()));
      paused = false;
    }
  }

  public synchronized boolean isPaused() {
    return paused;
  }
}
