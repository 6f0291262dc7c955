package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.DeleteTopicRequest;
import dev.runnel.proto.v1.DescribeTopicRequest;
import dev.runnel.proto.v1.ListTopicsRequest;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.proto.v1.TopicSummary;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic metadata survives a controller failover, and a deleted topic leaves no Raft group and no
 * directory on any broker, including one that was down when the topic was deleted.
 */
class MetadataFailoverTest {
  @TempDir Path dir;

  /**
   * Produces through one given broker, retrying retriable errors: a leader may still be settling,
   * and a broker whose metadata replica has not yet applied the topic's creation does not know it
   * (retriable, as in Kafka).
   */
  private static dev.runnel.proto.v1.ProduceResult produceVia(TestClient via, String value) {
    var retriable = java.util.Set.of(dev.runnel.proto.v1.ErrorCode.LEADER_NOT_AVAILABLE,
        dev.runnel.proto.v1.ErrorCode.NOT_LEADER, dev.runnel.proto.v1.ErrorCode.BROKER_NOT_AVAILABLE,
        dev.runnel.proto.v1.ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    dev.runnel.proto.v1.ProduceResult r = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      r = via.log().produce(dev.runnel.proto.v1.ProduceRequest.newBuilder().addBatches(
          dev.runnel.proto.v1.PartitionBatch.newBuilder().setTopic("alpha").setPartition(0)
              .setBatch(Batches.values(value).toByteString())).build()).getResults(0);
      if (!retriable.contains(r.getError())) {
        return r;
      }
      ClusterFixture.sleep(200);
    }
    return r;
  }

  @Test
  void topicsSurviveControllerFailoverAndDeletionLeavesNothing() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir)) {
      TopicDescription a;
      try (TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
        a = ClusterFixture.createTopic(c, "alpha", 2, 3);
      }
      int oldController = cluster.controller().orElseThrow().brokerId();
      cluster.stopBroker(oldController);
      LocalCluster.waitFor(Duration.ofSeconds(30), "a new controller", () -> cluster.controller().isPresent());

      try (TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
        TopicDescription described = c.admin().describeTopic(DescribeTopicRequest.newBuilder().setName("alpha").build());
        assertEquals(a.getTopicId(), described.getTopicId());
        assertEquals(2, described.getPartitionsCount());
        ClusterFixture.createTopic(c, "beta", 1, 2);
        c.admin().deleteTopic(DeleteTopicRequest.newBuilder().setName("alpha").build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> c.admin().describeTopic(DescribeTopicRequest.newBuilder().setName("alpha").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      }

      // The broker that was down during the deletion comes back and its leftovers are removed.
      cluster.startBroker(oldController);
      List<String> alphaGroups = a.getPartitionsList().stream().map(p -> p.getRaftGroupId()).toList();
      LocalCluster.waitFor(Duration.ofSeconds(60), "alpha's groups gone from every broker", () ->
          cluster.brokers().stream().allMatch(b -> b.localPartitionGroups().stream().noneMatch(alphaGroups::contains)
              && alphaGroups.stream().noneMatch(g -> Files.exists(b.dataDir().resolve("raft").resolve(g)))));
      for (Broker b : cluster.brokers()) {
        for (String g : alphaGroups) {
          assertFalse(Files.exists(b.dataDir().resolve("raft").resolve(g)), "directory of " + g + " on " + b.brokerId());
        }
      }
      // A restarted broker's metadata replica catches up by replaying the metadata log.
      LocalCluster.waitFor(Duration.ofSeconds(30), "every broker sees the deletion", () ->
          cluster.brokers().stream().allMatch(b -> b.clusterState().topic("alpha").isEmpty()
              && b.clusterState().topic("beta").isPresent()));
      try (TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
        List<String> names = c.admin().listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsList()
            .stream().map(TopicSummary::getName).toList();
        assertEquals(List.of("beta"), names);
        // Re-created under the same name: a new topic id, and no old data.
        TopicDescription again = ClusterFixture.createTopic(c, "alpha", 2, 3);
        assertTrue(!again.getTopicId().equals(a.getTopicId()));
        assertEquals(0, ClusterFixture.readAllSettled(c, "alpha", 0).size());
      }
      // Any broker accepts produce and fetch for any partition: non-leaders forward to the leader.
      long expected = 0;
      for (Broker b : cluster.brokers()) {
        try (TestClient via = new TestClient(b.clientAddress())) {
          var r = produceVia(via, "via-" + b.brokerId());
          assertEquals(dev.runnel.proto.v1.ErrorCode.ERROR_NONE, r.getError(), r.toString());
          assertEquals(expected++, r.getBaseOffset());
        }
      }
      for (Broker b : cluster.brokers()) {
        try (TestClient via = new TestClient(b.clientAddress())) {
          assertEquals(3, ClusterFixture.readAllSettled(via, "alpha", 0).size(), "fetch through broker " + b.brokerId());
        }
      }
    }
  }
}
