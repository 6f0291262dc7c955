package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.DescribeClusterRequest;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.partition.ReplicaSuspension;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker's heartbeats tell the controller which replicas it holds stopped (a full disk), so the
 * controller never takes them for missing replicas of a new partition (reliability.md, "a suspended
 * replica's restart can stall"); once restarted they drop out of the next heartbeat.
 */
class StoppedReplicaReportTest {
  @TempDir Path dir;

  @Test
  void aStoppedReplicaIsReportedToTheControllerUntilItRestarts() throws Exception {
    // The disk watch restarts stopped replicas on its next round; here it has none in the test's time.
    try (LocalCluster cluster = LocalCluster.start(1, dir,
        Map.of("storage.free.check.interval.ms", "60000"));
        TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription t = ClusterFixture.createTopic(c, "stopped", 1, 1);
      String gid = t.getPartitions(0).getRaftGroupId();
      Broker b = cluster.brokers().get(0);
      LocalCluster.waitFor(Duration.ofSeconds(30), "the partition's leader in the metadata",
          () -> b.clusterState().leader(ClusterFixture.partitionId(t, 0)).isPresent());
      assertEquals(Set.of(), b.clusterState().stoppedGroups(b.brokerId()));

      ReplicaSuspension suspension = b.suspension();
      assertTrue(suspension.stop(RaftGroupId.valueOf(UUID.fromString(gid))));
      LocalCluster.waitFor(Duration.ofSeconds(10), "the stopped replica in a heartbeat",
          () -> b.clusterState().stoppedGroups(b.brokerId()).equals(Set.of(gid)));
      assertEquals(1, c.admin().describeCluster(DescribeClusterRequest.getDefaultInstance())
          .getBrokers(0).getStoppedReplicaCount(), "cluster describe counts the stopped replica");

      assertEquals(1, suspension.restartAll());
      LocalCluster.waitFor(Duration.ofSeconds(10), "no stopped replica in a heartbeat",
          () -> b.clusterState().stoppedGroups(b.brokerId()).isEmpty());
      assertEquals(0, c.admin().describeCluster(DescribeClusterRequest.getDefaultInstance())
          .getBrokers(0).getStoppedReplicaCount());
      assertEquals(0, ClusterFixture.produce(cluster, "stopped", 0,
          Batches.values("after").toByteString()).getBaseOffset());
    }
  }
}
