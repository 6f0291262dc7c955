package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.DeleteTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.ListTopicsRequest;
import dev.runnel.proto.v1.TopicSummary;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic whose Raft groups would take a broker past {@code raft.max.group.replicas} is refused with
 * BROKER_CAPACITY_EXCEEDED, naming the broker and the limit, and nothing is created; replicas of a
 * deleted topic are free again once its groups are removed.
 */
class BrokerCapacityLimitTest {
  @TempDir Path dir;

  @Test
  void refusesTopicsBeyondTheGroupReplicaLimit() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir, Map.of("raft.max.group.replicas", "3"));
        TestClient c = new TestClient(cluster.bootstrap())) {
      ClusterFixture.createTopic(c, "two-groups", 2, 1);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ClusterFixture.createTopic(c, "too-many", 4, 1));
      ErrorDetail d = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorDetail.class);
      assertEquals(ErrorCode.BROKER_CAPACITY_EXCEEDED, d.getCode());
      assertTrue(d.getMessage().contains("broker 0 hosts 2 of at most 3"), d.getMessage());
      assertTrue(d.getMessage().contains("raft.max.group.replicas"), d.getMessage());
      assertEquals(List.of("two-groups"), topicNames(c));

      // One more group fits exactly, and it works.
      ClusterFixture.createTopic(c, "one-group", 1, 1);
      assertEquals(0, ClusterFixture.produce(cluster, "one-group", 0,
          Batches.values("x").toByteString()).getBaseOffset());
      assertThrows(StatusRuntimeException.class, () -> ClusterFixture.createTopic(c, "full", 1, 1));

      c.admin().deleteTopic(DeleteTopicRequest.newBuilder().setName("two-groups").build());
      Broker b = cluster.brokers().get(0);
      LocalCluster.waitFor(Duration.ofSeconds(30), "the deleted topic's groups removed",
          () -> b.clusterState().capacity().hosted(0) == 1);
      ClusterFixture.createTopic(c, "after-delete", 2, 1);
      assertEquals(0, ClusterFixture.produce(cluster, "after-delete", 1,
          Batches.values("y").toByteString()).getBaseOffset());
      assertEquals(3, b.localPartitionGroups().size(), "groups open on the broker");
    }
  }

  private static List<String> topicNames(TestClient c) {
    return c.admin().listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsList().stream()
        .map(TopicSummary::getName).sorted().toList();
  }
}
