package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.v1.PartitionDescription;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.raft.GroupAdmin;
import dev.runnel.server.service.Replica;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.ratis.conf.RaftProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new topic's partitions are led from their first election by their preferred replicas (the
 * first listed), so no leadership move follows a few seconds after the create, while clients
 * start writing; afterwards the groups' members are back at equal Raft priority, so leadership can
 * move anywhere again (Controller.evenPriorities).
 */
class FirstLeaderTest {
  /** Longer than the controller's leader-balancing period (10 passes of 500 ms). */
  private static final long WATCH_AFTER_LEADERS_MS = 6_000;

  @TempDir Path dir;

  @Test
  void everyNewGroupIsFirstLedByItsPreferredReplicaAndItsPrioritiesAreEvenedOutAfterwards()
      throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir);
        TestClient c = new TestClient(cluster.bootstrap().split(",")[0]);
        GroupAdmin admin = new GroupAdmin(new RaftProperties())) {
      Map<String, Integer> preferred = new HashMap<>();
      Map<String, Set<Integer>> leadersSeen = new HashMap<>();
      for (int round = 0; round < 3; round++) {
        TopicDescription t = ClusterFixture.createTopic(c, "first-" + round, 6, 3);
        Map<String, Integer> topicGroups = new HashMap<>();
        for (PartitionDescription p : t.getPartitionsList()) {
          topicGroups.put(p.getRaftGroupId(), p.getReplicas(0));
        }
        preferred.putAll(topicGroups);
        watchLeaders(cluster, topicGroups, leadersSeen);
      }
      for (Map.Entry<String, Integer> g : preferred.entrySet()) {
        assertEquals(Set.of(g.getValue()), leadersSeen.get(g.getKey()),
            "group " + g.getKey() + " was only ever led by its preferred replica");
      }

      for (String gid : preferred.keySet()) {
        for (Broker b : cluster.brokers()) {
          BrokerRecord record = b.clusterState().broker(b.brokerId()).orElseThrow();
          LocalCluster.waitFor(Duration.ofSeconds(30), "equal member priorities in " + gid
              + " on broker " + b.brokerId(), () -> {
                try {
                  return admin.conf(record, gid).evenPriorities();
                } catch (java.io.IOException e) {
                  return false;
                }
              });
        }
      }
    }
  }

  /**
   * Polls every group's replicas until each has a leader, then for {@link
   * #WATCH_AFTER_LEADERS_MS} more, recording every broker seen leading each group.
   */
  private static void watchLeaders(LocalCluster cluster, Map<String, Integer> groups,
      Map<String, Set<Integer>> leadersSeen) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long allLedAt = -1;
    for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
      for (String gid : groups.keySet()) {
        for (Broker b : cluster.brokers()) {
          if (b.replicas().local(gid).map(Replica::isLeader).orElse(false)) {
            leadersSeen.computeIfAbsent(gid, k -> new TreeSet<>()).add(b.brokerId());
          }
        }
      }
      if (allLedAt < 0 && leadersSeen.keySet().containsAll(groups.keySet())) {
        allLedAt = System.nanoTime();
      }
      if (allLedAt > 0 && System.nanoTime() - allLedAt > WATCH_AFTER_LEADERS_MS * 1_000_000) {
        return;
      }
      ClusterFixture.sleep(10);
    }
    throw new AssertionError("not every group got a leader within 60 s: " + leadersSeen);
  }
}
