package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.AlterTopicConfigRequest;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on real brokers: the leader trims by size and by age through a replicated TRIM, every
 * replica ends identical, reads below the log start get OFFSET_OUT_OF_RANGE with the valid range,
 * and a config change takes effect without a restart.
 */
class RetentionTest {
  @TempDir Path dir;

  @Test
  void trimsBySizeAndByAgeOnEveryReplica() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir, Map.of("retention.check.interval.ms", "200"));
        TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription t = c.admin().createTopic(CreateTopicRequest.newBuilder().setName("r").setPartitions(1)
          .setReplicationFactor(3).putConfigs("retention.bytes", "200000")
          // The batches carry 2023 timestamps: without this the default 7-day retention.ms would
          // expire them while they are being written, and the size phase would race the time one.
          .putConfigs("retention.ms", "-1").build()).getTopic();
      PartitionId p = ClusterFixture.partitionId(t, 0);
      for (int i = 0; i < 100; i++) {
        ClusterFixture.produce(cluster, "r", 0, Batches.oldValues("x".repeat(10_000)).toByteString());
      }
      LocalCluster.waitFor(Duration.ofSeconds(30), "size retention on every replica", () ->
          cluster.brokers().stream().allMatch(b -> ClusterFixture.localStore(b, t, 0)
              .map(s -> s.offsets(p).storedBytes() <= 200_000 && s.offsets(p).logStartOffset() > 0).orElse(false)));
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);

      PartitionStore.PartitionOffsets o = ClusterFixture.localStore(cluster.brokers().get(0), t, 0).orElseThrow().offsets(p);
      // The controller may still be moving the new partition's leader to its preferred replica (a
      // verify run met NOT_LEADER here): a client retries that, and so does this check.
      FetchedPartition[] fetched = new FetchedPartition[1];
      LocalCluster.waitFor(Duration.ofSeconds(30), "a fetch answered by the leader", () -> {
        fetched[0] = c.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition.newBuilder()
            .setTopic("r").setPartition(0).setOffset(0)).build()).getPartitions(0);
        return fetched[0].getError() != ErrorCode.NOT_LEADER
            && fetched[0].getError() != ErrorCode.LEADER_NOT_AVAILABLE;
      });
      FetchedPartition below = fetched[0];
      assertEquals(ErrorCode.OFFSET_OUT_OF_RANGE, below.getError());
      assertTrue(below.getErrorMessage().contains("[" + o.logStartOffset() + ", 100]"), below.getErrorMessage());

      // The test batches carry 2023 timestamps: a one-hour retention expires all of them, at runtime.
      c.admin().alterTopicConfig(AlterTopicConfigRequest.newBuilder().setName("r")
          .putSet("retention.ms", "3600000").build());
      LocalCluster.waitFor(Duration.ofSeconds(30), "time retention on every replica", () ->
          cluster.brokers().stream().allMatch(b -> ClusterFixture.localStore(b, t, 0)
              .map(s -> s.offsets(p).logStartOffset() == 100 && s.offsets(p).storedBytes() == 0).orElse(false)));
      // New records are still accepted after everything expired, and current ones are kept.
      assertEquals(100, ClusterFixture.produce(cluster, "r", 0, Batches.values("new").toByteString()).getBaseOffset());
      Thread.sleep(1000);
      FetchedPartition fresh = c.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition.newBuilder()
          .setTopic("r").setPartition(0).setOffset(100)).build()).getPartitions(0);
      assertEquals(ErrorCode.ERROR_NONE, fresh.getError(), fresh.getErrorMessage());
      assertEquals(1, fresh.getBatchesCount(), "a fresh record outlives a 1 h retention");
    }
  }
}
