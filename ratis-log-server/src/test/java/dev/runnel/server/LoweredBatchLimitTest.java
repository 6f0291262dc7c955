package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.server.testkit.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restarted with a smaller {@code max.batch.bytes} than its Raft logs were written with
 * (the default went from 4 to 2 MiB) cannot read its larger entries if they carry their batches
 * ({@code raft.log.payload.separate=false}). It must refuse to start and say what to set, not call
 * its replicas damaged; set back, it starts and serves the data. With payloads outside the log
 * (the default) the log's entries are small and the payloads still read: it just starts.
 */
class LoweredBatchLimitTest {
  private static final Map<String, String> LARGE = Map.of("max.batch.bytes", "4MiB",
      "max.record.bytes", "4MiB", "raft.log.write.buffer.bytes", "4160KiB",
      "raft.log.segment.bytes", "8MiB", "raft.log.payload.separate", "false");
  private static final Map<String, String> DEFAULTS = Map.of("max.batch.bytes", "2MiB",
      "max.record.bytes", "1MiB", "raft.log.write.buffer.bytes", "2112KiB",
      "raft.log.segment.bytes", "4MiB", "raft.log.payload.separate", "false");

  @TempDir Path dir;

  @Test
  void aBrokerThatCannotReadItsOwnEntriesRefusesToStartAndSaysWhatToSet() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir, LARGE)) {
      writeTwoBigBatchesAndStop(cluster);

      IOException refused = assertThrows(IOException.class, () -> cluster.startBroker(0, DEFAULTS));
      assertTrue(refused.getMessage().contains("more than this broker reads (max.batch.bytes + 64 KiB "
          + "= 2162688): it was written with a larger max.batch.bytes. Set max.batch.bytes to at "
          + "least"), refused.getMessage());
      assertTrue(refused.getMessage().endsWith("and start again; nothing was changed on disk."),
          refused.getMessage());

      cluster.startBroker(0, LARGE);
      assertBothBatchesRead(cluster);
    }
  }

  @Test
  void withPayloadsOutsideTheLogALoweredLimitStillReadsWhatWasWritten() throws Exception {
    Map<String, String> large = Map.of("max.batch.bytes", "4MiB", "max.record.bytes", "4MiB",
        "raft.log.write.buffer.bytes", "4160KiB");
    try (LocalCluster cluster = LocalCluster.start(1, dir, large)) {
      writeTwoBigBatchesAndStop(cluster);
      cluster.startBroker(0, Map.of());
      assertBothBatchesRead(cluster);
    }
  }

  /** Two 3 MB batches, more than the default max.batch.bytes, into a new topic; then a stop. */
  private static void writeTwoBigBatchesAndStop(LocalCluster cluster) throws Exception {
    String big = "x".repeat(3_000_000);
    try (TestClient client = new TestClient(cluster.bootstrap())) {
      ClusterFixture.createTopic(client, "big", 1, 1);
      for (int i = 0; i < 2; i++) {
        assertEquals(ErrorCode.ERROR_NONE, ClusterFixture.produce(cluster, "big", 0,
            Batches.values(big).toByteString()).getError());
      }
    }
    cluster.stopBroker(0);
  }

  private static void assertBothBatchesRead(LocalCluster cluster) throws Exception {
    cluster.awaitReady(java.time.Duration.ofSeconds(60));
    try (TestClient client = new TestClient(cluster.bootstrap())) {
      List<FetchedBatch> batches = ClusterFixture.readAllSettled(client, "big", 0);
      assertEquals(2, batches.stream().mapToInt(ClusterFixture::recordCount).sum());
    }
  }
}
