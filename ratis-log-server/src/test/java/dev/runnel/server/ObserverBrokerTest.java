package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.DescribeClusterRequest;
import dev.runnel.proto.v1.DescribeClusterResponse;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker outside the metadata group (the fourth of four) registers, hosts partition replicas,
 * follows the metadata by reading it from the group, and serves clients like any other broker.
 */
class ObserverBrokerTest {
  @TempDir Path dir;

  @Test
  void brokerOutsideTheMetadataGroupServesLikeTheOthers() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(4, dir)) {
      Broker observer = cluster.broker(3).orElseThrow();
      try (TestClient c = new TestClient(observer.clientAddress())) {
        DescribeClusterResponse d = c.admin().describeCluster(DescribeClusterRequest.getDefaultInstance());
        assertEquals(4, d.getBrokersCount());
        assertFalse(d.getBrokers(3).getControllerEligible());
        assertTrue(d.getBrokers(3).getAlive());

        TopicDescription t = ClusterFixture.createTopic(c, "wide", 4, 3);
        // Partitions share the topic's raft.groups.per.topic groups; the observer hosts those of
        // them that placement gave a replica on broker 3.
        long expected = t.getPartitionsList().stream().filter(p -> p.getReplicasList().contains(3))
            .map(p -> p.getRaftGroupId()).distinct().count();
        assertTrue(expected > 0, "placement spreads 3 groups x 3 replicas over all 4 brokers");
        LocalCluster.waitFor(Duration.ofSeconds(30), "the observer hosts its replicas", () ->
            observer.localPartitionGroups().size() == expected);
        for (int p = 0; p < 4; p++) {
          ProduceResult r = ClusterFixture.produce(cluster, "wide", p, Batches.values("v" + p).toByteString());
          assertEquals(ErrorCode.ERROR_NONE, r.getError());
          assertEquals(1, ClusterFixture.readAllSettled(c, "wide", p).size());
        }
        ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);
      }
    }
  }
}
