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
          "--producers", "2", "--keys", "random", "--warmup-records", "501", "--json", json.toString());
      assertEquals(0, p.exitCode(), p.err());
      String[] lines = p.out().strip().split("\n");
      assertEquals(2, lines.length, p.out());
      assertTrue(lines[0].matches("2000 records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg "
          + "latency, [0-9.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99.9th\\."), p.out());
      // Kafka's ProducerPerformance --warmup-records line; the warm-up split over both producers.
      assertTrue(lines[1].matches("1499 steady state records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), .*"
          + "\\d+ ms 99.9th\\."), p.out());
      assertTrue(Files.readString(json).contains("\"records\" : 2000"), Files.readString(json));
      assertTrue(Files.readString(json).contains("\"steadyStateRecords\" : 1499"), Files.readString(json));
      assertTrue(Files.readString(json).contains("\"steadyStateLatencyMs\""), Files.readString(json));
      CliRunner.Run c = run(env, "bench", "consume", "--topic", "b", "--num-records", "2000");
      assertEquals(0, c.exitCode(), c.err());
      assertTrue(c.out().startsWith("2000 records consumed"), c.out());

      CliRunner.Run e2e = run(env, "bench", "e2e", "--topic", "b", "--num-records", "300", "--throughput", "300",
          "--record-size", "64", "--acks", "majority");
      assertEquals(0, e2e.exitCode(), e2e.err());
      assertTrue(e2e.out().startsWith("300 records received at"), e2e.out());
      assertTrue(e2e.out().contains("ms 99.9th."), e2e.out());

      Path workload = dir.resolve("w.yaml");
      Files.writeString(workload, String.join("\n", "name: tiny test", "topics: 2", "partitionsPerTopic: 2",
          "replicationFactor: 1", "messageSize: 64", "producersPerTopic: 1", "consumersPerTopic: 1",
          "producerRate: 200", "durationSeconds: 2", "warmupSeconds: 1", "keyDistributor: ROUND_ROBIN", "acks: all",
          "lingerMs: 5", "batchSize: 16384", "compression: lz4", ""));
      CliRunner.Run w = run(env, "bench", "workload", workload.toString(), "--json", dir.resolve("w.json").toString());
      assertEquals(0, w.exitCode(), w.err());
      assertTrue(w.out().startsWith("publish: "), w.out());
      assertTrue(w.out().contains("consume: "), w.out());
      assertTrue(Files.readString(dir.resolve("w.json")).contains("publishRecordsPerSec"));
    }
  }

  @Test
  void badWorkloadFilesNameEveryBadField() throws Exception {
    Path workload = dir.resolve("bad.yaml");
    Files.writeString(workload, "name: x\ntopics: 0\nacks: sometimes\n");
    CliRunner.Run r = run(Map.of(), "bench", "workload", workload.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("topics must be 1..100") && r.err().contains("acks must be none, majority or all")
        && r.err().contains("durationSeconds must be"), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
    Files.writeString(workload, "name: x\nunknownField: 3\n");
    CliRunner.Run u = run(Map.of(), "bench", "workload", workload.toString());
    assertEquals(2, u.exitCode(), u.err());
    assertTrue(u.err().contains("unknownField"), u.err());
    CliRunner.Run missing = run(Map.of(), "bench", "workload", dir.resolve("nope.yaml").toString());
    assertEquals(2, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("cannot read workload"), missing.err());
  }

  @Test
  void badArgumentsAreNamed() {
    CliRunner.Run r = run(Map.of(), "bench", "produce", "--topic", "x", "--num-records", "0", "--keys", "odd");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--num-records must be") && r.err().contains("--keys must be"), r.err());
    CliRunner.Run w = run(Map.of(), "bench", "produce", "--topic", "x", "--num-records", "10", "--warmup-records", "10");
    assertEquals(2, w.exitCode());
    assertTrue(w.err().contains("--warmup-records must be 0 or more and fewer than --num-records"), w.err());
  }

  @Test
  void finalLineUsesMillisecondsFromMicrosecondHistogram() {
    Histogram h = new Histogram(3);
    h.recordValue(2_000);
    h.recordValue(4_000);
    String line = LatencyReport.finalLine(2, 2048, 1.0, h);
    assertTrue(line.startsWith("2 records sent, 2.0 records/sec (0.00 MB/sec), 3.00 ms avg latency, 4.00 ms max"), line);
    assertTrue(line.endsWith("2 ms 50th, 4 ms 95th, 4 ms 99th, 4 ms 99.9th."), line);
    assertTrue(LatencyReport.steadyStateLine(2, 2048, 1.0, h).startsWith("2 steady state records sent, 2.0 records/sec"));
  }
}
