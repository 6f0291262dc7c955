package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that answers its leader but stops taking entries makes the leader step down after
 * raft.follower.stall.timeout.ms (the watch for Ratis 3.3's stale appender, reliability.md). The
 * follower's refusal is injected at Ratis's own test hook for AppendEntries: it fails every request
 * that carries entries and answers heartbeats, as the stuck follower seen in CI did.
 */
class StalledFollowerTest {
  /** {@code RaftServerImpl.APPEND_ENTRIES}, package-private in Ratis. */
  private static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";
  private static final String STEP_DOWNS = "runnel.raft.stalled.follower.stepdowns";

  @TempDir Path dir;

  @AfterEach
  void removeInjection() {
    CodeInjectionForTesting.remove(APPEND_ENTRIES);
  }

  @Test
  void aLeaderStepsDownWhenALiveFollowerStopsCatchingUpAndTheFollowerCatchesUpAfterwards()
      throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir,
        Map.of("raft.follower.stall.timeout.ms", "3000"));
        TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription t = ClusterFixture.createTopic(c, "stall", 1, 3);
      String gid = t.getPartitions(0).getRaftGroupId();
      int preferred = t.getPartitions(0).getReplicas(0);
      LocalCluster.waitFor(Duration.ofSeconds(60), "the preferred replica leads",
          () -> ClusterFixture.awaitLeader(cluster, t, 0) == preferred);
      for (int i = 0; i < 40; i++) {
        ClusterFixture.produce(cluster, "stall", 0, Batches.values("healthy-" + i).toByteString());
        ClusterFixture.sleep(200);
      }
      assertEquals(0, stepDowns(cluster), "a healthy group is left alone over twice the stall time");

      int follower = cluster.brokers().stream().mapToInt(Broker::brokerId).filter(b -> b != preferred)
          .findFirst().orElseThrow();
      String followerPeer = String.valueOf(follower);
      AtomicInteger refused = new AtomicInteger();
      CodeInjectionForTesting.put(APPEND_ENTRIES, (local, remote, args) -> {
        AppendEntriesRequestProto r = (AppendEntriesRequestProto) args[1];
        if (String.valueOf(local).equals(followerPeer) && r.getEntriesCount() > 0
            && RaftGroupId.valueOf(r.getServerRequest().getRaftGroupId().getId()).getUuid().toString()
                .equals(gid)) {
          refused.incrementAndGet();
          throw new IllegalStateException("injected: this follower takes no entries");
        }
        return false;
      });
      for (int i = 0; i < 5; i++) {
        ClusterFixture.produce(cluster, "stall", 0, Batches.values("stalled-" + i).toByteString());
      }
      LocalCluster.waitFor(Duration.ofSeconds(30), "a step-down for the stalled follower",
          () -> stepDowns(cluster) >= 1);
      assertEquals(true, refused.get() > 0, "the follower was sent entries and refused them");

      CodeInjectionForTesting.remove(APPEND_ENTRIES);
      ClusterFixture.produce(cluster, "stall", 0, Batches.values("after").toByteString());
      LocalCluster.waitFor(Duration.ofSeconds(30), "the follower holds every record", () ->
          ClusterFixture.localStore(cluster.broker(follower).orElseThrow(), t, 0)
              .map(s -> s.offsets(ClusterFixture.partitionId(t, 0)).nextOffset() == 46)
              .orElse(false));
    }
  }

  private static double stepDowns(LocalCluster cluster) {
    return cluster.brokers().stream().mapToDouble(b -> {
      Counter counter = b.meters().find(STEP_DOWNS).counter();
      return counter == null ? 0 : counter.count();
    }).sum();
  }
}
