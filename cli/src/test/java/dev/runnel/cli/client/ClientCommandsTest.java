package dev.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.cli.CliRunner;
import dev.runnel.server.testkit.LocalCluster;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic, produce, consume and cluster commands against a real broker, in-process and as a real
 * CLI process.
 */
class ClientCommandsTest {
  @TempDir static Path dir;
  static LocalCluster cluster;
  static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(1, dir);
    env = Map.of("RUNNEL_BOOTSTRAP", cluster.bootstrap());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static CliRunner.Run run(String... args) {
    return CliRunner.run(env, config -> {
      throw new java.io.IOException("no broker");
    }, args);
  }

  private static CliRunner.Run runWithInput(String input, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void topicsLifecycle() {
    assertEquals(0, run("topics", "create", "t1", "--partitions", "2", "--config", "retention.ms=60000").exitCode());
    assertTrue(run("topics", "list").out().lines().toList().contains("t1"));
    CliRunner.Run d = run("topics", "describe", "t1");
    assertEquals(0, d.exitCode(), d.err());
    assertTrue(d.out().contains("retention.ms=60000"), d.out());
    assertEquals(2, d.out().lines().filter(l -> l.matches("^[01] .*")).count(), d.out());
    CliRunner.Run alter = run("topics", "alter", "t1", "--set", "retention.bytes=1000", "--partitions", "3");
    assertEquals(0, alter.exitCode(), alter.err());
    assertTrue(run("topics", "describe", "t1").out().contains("retention.bytes=1000"));
    assertEquals(0, run("topics", "delete", "t1").exitCode());
    assertFalse(run("topics", "list").out().lines().toList().contains("t1"));
    CliRunner.Run cluster = run("cluster", "describe");
    assertTrue(cluster.out().contains("eligible"), cluster.out());
    assertTrue(cluster.out().lines().anyMatch(l -> l.startsWith("BROKER") && l.endsWith("STOPPED")),
        cluster.out());
    assertFalse(cluster.out().contains("STOPPED: "), "no stopped replicas, no explanation");
  }

  @Test
  void produceThenConsumeKeyedLinesInOrder() {
    assertEquals(0, run("topics", "create", "lines", "--partitions", "1").exitCode());
    CliRunner.Run p = runWithInput("k1:one\nk2:two\nk1:three\n", "produce", "lines", "--key-separator", ":");
    assertEquals(0, p.exitCode(), p.err());
    assertTrue(p.err().contains("3 records produced"), p.err());
    CliRunner.Run c = run("consume", "lines", "--from-beginning", "--print-key", "--print-offset", "--timeout", "2s");
    assertEquals(0, c.exitCode(), c.err());
    assertEquals(List.of("0@0\tk1\tone", "0@1\tk2\ttwo", "0@2\tk1\tthree"), c.out().lines().toList());
    CliRunner.Run json = run("consume", "lines", "--partition", "0", "--offset", "1", "--max-messages", "1",
        "--format", "json");
    assertEquals(0, json.exitCode(), json.err());
    assertTrue(json.out().contains("\"offset\":1") && json.out().contains("\"key\":\"k2\"")
        && json.out().contains("\"value\":\"two\""), json.out());
  }

  @Test
  void badArgumentsGiveOneLineAndUsageExitCode() {
    assertUsage(run("consume"), "Missing required parameter");
    assertUsage(run("consume", "x", "--offset", "3"), "--offset needs --partition");
    assertUsage(run("topics", "create", "x", "--config", "nokey"), "--config expects key=value");
    assertUsage(runWithInput("no separator here\n", "produce", "lines2", "--key-separator", ":"),
        "has no key separator");
    assertUsage(run("produce", "x", "--acks", "maybe"), "--acks must be");
    assertUsage(run("consume", "x", "--timeout", "soon"), "--timeout expects a duration");
    CliRunner.Run unknown = run("topics", "describe", "nope");
    assertEquals(1, unknown.exitCode());
    assertEquals("runnel: error: topic 'nope' does not exist", unknown.err().strip());
    CliRunner.Run badName = run("topics", "create", "bad name");
    assertEquals(1, badName.exitCode());
    assertTrue(badName.err().contains("may contain only"), badName.err());
  }

  @Test
  void describePrintsDamagedReplicasLoudly() {
    java.io.StringWriter w = new java.io.StringWriter();
    TopicsCommand.Describe.print(new java.io.PrintWriter(w, true), new dev.runnel.client.TopicDescription(
        "t", "id", 3, Map.of(), List.of(new dev.runnel.client.PartitionInfo("t", 0, 1, 1, List.of(0, 1, 2),
            0, 5, "g", Map.of(2, "block checksum mismatch in 000009.sst")))));
    assertTrue(w.toString().contains("DAMAGED: partition 0 replica on broker 2 is out of service, being "
        + "rebuilt: block checksum mismatch in 000009.sst"), w.toString());
  }

  private static void assertUsage(CliRunner.Run r, String message) {
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  /**
   * The same round trip as separate processes running the CLI's main class (what bin/runnel runs).
   * bin/runnel itself is not invoked here: during `mvn verify` its freshness check would see sources
   * newer than the not-yet-packaged jar and start a nested build.
   */
  @Test
  void roundTripThroughRealProcesses() throws Exception {
    assertEquals(0, run("topics", "create", "proc", "--partitions", "2").exitCode());
    Process producer = cli("produce", "proc", "--key-separator", "=");
    producer.getOutputStream().write("a=1\nb=2\na=3\n".getBytes(StandardCharsets.UTF_8));
    producer.getOutputStream().close();
    assertTrue(producer.waitFor(60, TimeUnit.SECONDS), "produce finished");
    assertEquals(0, producer.exitValue(), new String(producer.getErrorStream().readAllBytes()));
    Process consumer = cli("consume", "proc", "--from-beginning", "--print-key", "--timeout", "3s");
    assertTrue(consumer.waitFor(60, TimeUnit.SECONDS), "consume finished");
    List<String> lines = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .sorted().toList();
    assertEquals(0, consumer.exitValue());
    assertEquals(List.of("a\t1", "a\t3", "b\t2"), lines);
    Process bad = cli("consume");
    assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, bad.exitValue());
  }

  private static Process cli(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "dev.runnel.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("RUNNEL_BOOTSTRAP", cluster.bootstrap());
    return pb.start();
  }
}
