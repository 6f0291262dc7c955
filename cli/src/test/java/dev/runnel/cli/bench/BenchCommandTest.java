package dev.runnel.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.cli.CliRunner;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path dir;

  private static CliRunner.Run run(Map<String, String> env, String... args) {
    return CliRunner.run(env, c -> {
      throw new java.io.IOException("no broker");
    }, args);
  }

  @Test
  void produceThenConsumeReportsInKafkasShape() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir.resolve("cluster"))) {
      Map<String, String> env = Map.of("RUNNEL_BOOTSTRAP", cluster.bootstrap());
      Path json = dir.resolve("latency.json");
      CliRunner.Run p = run(env, "bench", "produce", "--topic", "b", "--create-topic", "--partitions", "2",
          "--replication-factor", "1", "--num-records", "2000", "--record-size", "100", "--throughput", "4000",
          "--producers", "2", "--keys", "random", "--json", json.toString());
      assertEquals(0, p.exitCode(), p.err());
      assertTrue(p.out().strip().matches("2000 records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg "
          + "latency, [0-9.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99.9th\\."), p.out());
      assertTrue(Files.readString(json).contains("\"records\" : 2000"), Files.readString(json));
      CliRunner.Run c = run(env, "bench", "consume", "--topic", "b", "--num-records", "2000");
      assertEquals(0, c.exitCode(), c.err());
      assertTrue(c.out().startsWith("2000 records consumed"), c.out());
    }
  }

  @Test
  void badArgumentsAreNamed() {
    CliRunner.Run r = run(Map.of(), "bench", "produce", "--topic", "x", "--num-records", "0", "--keys", "odd");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--num-records must be") && r.err().contains("--keys must be"), r.err());
  }

  @Test
  void finalLineUsesMillisecondsFromMicrosecondHistogram() {
    Histogram h = new Histogram(3);
    h.recordValue(2_000);
    h.recordValue(4_000);
    String line = LatencyReport.finalLine(2, 2048, 1.0, h);
    assertTrue(line.startsWith("2 records sent, 2.0 records/sec (0.00 MB/sec), 3.00 ms avg latency, 4.00 ms max"), line);
    assertTrue(line.endsWith("2 ms 50th, 4 ms 95th, 4 ms 99th, 4 ms 99.9th."), line);
  }
}
