package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition state machine behaviour across restarts and snapshots on real brokers: offsets stay
 * dense, nothing is applied twice after a restart, and a follower whose missing entries were
 * purged from the leader's Raft log catches up by snapshot install (pause, reinitialize).
 */
class RestartAndSnapshotTest {
  @TempDir Path dir;

  @Test
  void restartDoesNotApplyAnythingTwice() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir)) {
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        ClusterFixture.createTopic(c, "t", 1, 1);
      }
      produce(cluster, "t", 0, 50, "before");
      cluster.stopBroker(0);
      cluster.startBroker(0);
      cluster.awaitReady(java.time.Duration.ofSeconds(30));
      ProduceResult next = ClusterFixture.produce(cluster, "t", 0, Batches.values("after").toByteString());
      assertEquals(50 * 2, next.getBaseOffset(), "offsets continue after the restart, no replayed batches");
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        List<FetchedBatch> all = ClusterFixture.readAllSettled(c, "t", 0);
        assertEquals(51, all.size());
        long expected = 0;
        for (FetchedBatch b : all) {
          assertEquals(expected, b.getBaseOffset());
          expected += ClusterFixture.recordCount(b);
        }
      }
    }
  }

  /**
   * Ratis replays its log from the latest snapshot and keeps what it reads back on the heap until a
   * new segment is rolled; with checkpoints thousands of entries apart, a restart after a benchmark
   * ran brokers out of memory. A replica reopened ahead of its last checkpoint makes a new one at
   * what its store holds, so Ratis starts from there.
   */
  @Test
  void reopenedReplicaSnapshotsWhatItsStoreHolds() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir)) {
      TopicDescription t;
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        t = ClusterFixture.createTopic(c, "t", 1, 1);
      }
      produce(cluster, "t", 0, 40, "before");
      long applied = store(cluster, t).applied().index();
      Path sm = cluster.dataDir(0).resolve("raft").resolve(t.getPartitions(0).getRaftGroupId())
          .resolve("sm");
      assertTrue(latestCheckpointIndex(sm) < applied, "no checkpoint yet at the default threshold");

      cluster.stopBroker(0);
      cluster.startBroker(0);
      cluster.awaitReady(java.time.Duration.ofSeconds(30));
      assertEquals(applied, latestCheckpointIndex(sm), "checkpoint at the store's applied index");
      assertEquals(applied, store(cluster, t).applied().index());
      assertEquals(40 * 2, ClusterFixture.produce(cluster, "t", 0,
          Batches.values("after").toByteString()).getBaseOffset());
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        assertEquals(41, ClusterFixture.readAllSettled(c, "t", 0).size());
      }
    }
  }

  private static PartitionStore store(LocalCluster cluster, TopicDescription t) {
    return ClusterFixture.localStore(cluster.broker(0).orElseThrow(), t, 0).orElseThrow();
  }

  /** The index of the newest complete checkpoint in a state-machine directory, or -1. */
  private static long latestCheckpointIndex(Path sm) throws Exception {
    if (!Files.isDirectory(sm)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(sm)) {
      return s.filter(p -> p.getFileName().toString().startsWith("checkpoint.")
              && Files.exists(p.resolve("CHECKPOINT_COMPLETE")))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString().replaceAll(".*_", "")))
          .max().orElse(-1);
    }
  }

  /** Large entries reach the byte threshold long before the entry threshold; the log is purged. */
  @Test
  void snapshotsByBytesKeepTheRaftLogShort() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir,
        smallRaftLog("raft.snapshot.threshold.bytes", "1MiB"))) {
      TopicDescription t;
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        t = ClusterFixture.createTopic(c, "t", 1, 1);
      }
      // 300 entries of ~20 KB: 6 MB, far below 4,096 entries; a 4 KiB segment holds ~100 headers.
      produce(cluster, "t", 0, 300, "x".repeat(10_000));
      Path group = cluster.dataDir(0).resolve("raft").resolve(t.getPartitions(0).getRaftGroupId());
      LocalCluster.waitFor(java.time.Duration.ofSeconds(30), "a snapshot and a purged log",
          () -> {
            try {
              return latestCheckpointIndex(group.resolve("sm")) > 0
                  && firstLogIndex(group.resolve("current")) > 0;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      long logBytes;
      try (Stream<Path> s = Files.list(group.resolve("current"))) {
        logBytes = s.filter(p -> p.getFileName().toString().startsWith("log_"))
            .mapToLong(p -> p.toFile().length()).sum();
      }
      assertTrue(logBytes < 4 << 20, "Raft log kept: " + logBytes + " bytes");
      // The payloads beside it are purged too: a snapshot's worth, a segment's entries and a file.
      Path payloads = group.resolve(dev.runnel.server.partition.EntryPayloads.DIR);
      LocalCluster.waitFor(java.time.Duration.ofSeconds(30), "entry payloads purged", () -> {
        try (Stream<Path> s = Files.list(payloads)) {
          return s.mapToLong(p -> p.toFile().length()).sum() < 4 << 20;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        assertEquals(300, ClusterFixture.readAllSettled(c, "t", 0).size());
      }
    }
  }

  @Test
  void laggingFollowerCatchesUpBySnapshotInstall() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir,
        smallRaftLog("raft.snapshot.threshold.entries", "16"))) {
      TopicDescription t;
      try (TestClient c = new TestClient(cluster.bootstrap().split(",")[0])) {
        t = ClusterFixture.createTopic(c, "snap", 1, 3);
      }
      int follower = followerOf(cluster, t);
      cluster.stopBroker(follower);
      produce(cluster, "snap", 0, 400, "x".repeat(8000));
      // The leader's Raft log no longer starts at the beginning: the follower cannot be sent entries.
      Path leaderGroup = cluster.dataDir(leaderOf(cluster, t)).resolve("raft")
          .resolve(t.getPartitions(0).getRaftGroupId()).resolve("current");
      assertTrue(firstLogIndex(leaderGroup) > 0, "leader purged its Raft log behind a snapshot");

      cluster.startBroker(follower);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);
      PartitionStore s = ClusterFixture.localStore(cluster.broker(follower).orElseThrow(), t, 0).orElseThrow();
      assertEquals(400 * 2, s.offsets(ClusterFixture.partitionId(t, 0)).nextOffset());
    }
  }

  /**
   * 4 KiB Raft log segments (about 100 entry headers; payloads are outside the log), and small
   * entries, so a few hundred entries span several segments and entry-data files.
   */
  private static Map<String, String> smallRaftLog(String key, String value) {
    return Map.of(key, value, "raft.log.segment.bytes", "4096", "max.batch.bytes", "262144",
        "raft.log.write.buffer.bytes", "393216", "max.record.bytes", "100000");
  }

  private static void produce(LocalCluster cluster, String topic, int partition, int batches, String value) {
    for (int i = 0; i < batches; i++) {
      ByteString b = Batches.values(value + i, value + i).toByteString();
      ClusterFixture.produce(cluster, topic, partition, b);
    }
  }

  private static int followerOf(LocalCluster cluster, TopicDescription t) {
    int leader = leaderOf(cluster, t);
    return cluster.brokers().stream().mapToInt(Broker::brokerId).filter(id -> id != leader).findFirst().orElseThrow();
  }

  private static int leaderOf(LocalCluster cluster, TopicDescription t) {
    return ClusterFixture.awaitLeader(cluster, t, 0);
  }

  /** Smallest entry index present in a group's Raft log segment files. */
  private static long firstLogIndex(Path current) throws Exception {
    List<Long> starts = new ArrayList<>();
    try (Stream<Path> s = Files.list(current)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("log_inprogress_")) {
          starts.add(Long.parseLong(n.substring("log_inprogress_".length())));
        } else if (n.startsWith("log_")) {
          starts.add(Long.parseLong(n.substring(4, n.indexOf('-'))));
        }
      }
    }
    return starts.stream().mapToLong(Long::longValue).min().orElse(0);
  }
}
