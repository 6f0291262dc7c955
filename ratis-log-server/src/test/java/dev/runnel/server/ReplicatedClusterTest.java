package dev.runnel.server;

import static dev.runnel.server.ClusterFixture.checksum;
import static dev.runnel.server.ClusterFixture.localStore;
import static dev.runnel.server.ClusterFixture.partitionId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.protocol.KeyPartitioner;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.storage.StorageException;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated core end to end on three real brokers (Ratis over loopback gRPC, RocksDB on disk):
 * keyed produce, ordered fetch, a partition leader stopped mid-run, byte-identical replicas, and a
 * restarted broker catching up.
 */
class ReplicatedClusterTest {
  private static final int PARTITIONS = 3;
  private static final int KEYS = 50;

  @TempDir Path dir;

  @Test
  void survivesLeaderStopAndKeepsReplicasIdentical() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir);
        TestClient client = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription topic = ClusterFixture.createTopic(client, "orders", PARTITIONS, 3);
      Map<String, List<Integer>> sent = new HashMap<>();
      produceKeyed(cluster, 0, 10_000, sent);

      // Every record back, in produce order per key, offsets dense.
      assertAllPresent(client, sent, 10_000);

      // Stop the leader of partition 0 and keep producing through the others.
      int leader = leaderOf(cluster, topic, 0);
      cluster.stopBroker(leader);
      produceKeyed(cluster, 10_000, 1_000, sent);
      try (TestClient other = new TestClient(cluster.bootstrap().split(",")[0])) {
        assertAllPresent(other, sent, 11_000);
      }

      // The stopped broker comes back and catches up to identical bytes.
      cluster.startBroker(leader);
      awaitIdenticalReplicas(cluster, topic, 3);
    }
  }

  private static void produceKeyed(LocalCluster cluster, int from, int count, Map<String, List<Integer>> sent) {
    Map<Integer, List<String[]>> pending = new HashMap<>();
    for (int i = from; i < from + count; i++) {
      String key = "key-" + (i % KEYS);
      int p = KeyPartitioner.partition(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
      pending.computeIfAbsent(p, x -> new ArrayList<>()).add(new String[] {key, Integer.toString(i)});
      sent.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      if (pending.get(p).size() == 100) {
        send(cluster, p, pending.remove(p));
      }
    }
    pending.forEach((p, records) -> send(cluster, p, records));
  }

  private static void send(LocalCluster cluster, int partition, List<String[]> records) {
    ByteString batch = Batches.of(0, 0, records).toByteString();
    ProduceResult r = ClusterFixture.produce(cluster, "orders", partition, batch);
    assertTrue(r.getBaseOffset() >= 0, r.toString());
  }

  private static void assertAllPresent(TestClient c, Map<String, List<Integer>> sent, int total) throws Exception {
    Map<String, List<Integer>> seen = new HashMap<>();
    int count = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      long expectedOffset = 0;
      for (FetchedBatch b : ClusterFixture.readAllSettled(c, "orders", p)) {
        assertEquals(expectedOffset, b.getBaseOffset(), "offsets must be dense in partition " + p);
        List<String> records = Batches.decode(b.getBatch());
        expectedOffset += records.size();
        for (String kv : records) {
          String[] parts = kv.split("=");
          assertEquals(p, KeyPartitioner.partition(parts[0].getBytes(StandardCharsets.UTF_8), PARTITIONS));
          seen.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
          count++;
        }
      }
    }
    assertEquals(total, count, "every acknowledged record, once");
    assertEquals(sent, seen, "per-key produce order");
  }

  private static int leaderOf(LocalCluster cluster, TopicDescription t, int partition) {
    return ClusterFixture.awaitLeader(cluster, t, partition);
  }

  static void awaitIdenticalReplicas(LocalCluster cluster, TopicDescription t, int replicas) {
    try {
      waitForIdentical(cluster, t, replicas);
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage() + ";" + describeReplicas(cluster, t), e);
    }
    assertFalse(cluster.brokers().isEmpty());
  }

  private static void waitForIdentical(LocalCluster cluster, TopicDescription t, int replicas) {
    LocalCluster.waitFor(Duration.ofSeconds(60), "identical replicas", () -> {
      for (int p = 0; p < t.getPartitionsCount(); p++) {
        Set<Long> sums = new HashSet<>();
        int n = 0;
        for (Broker b : cluster.brokers()) {
          if (!t.getPartitions(p).getReplicasList().contains(b.brokerId())) {
            continue;
          }
          Optional<PartitionStore> s = localStore(b, t, p);
          if (s.isEmpty()) {
            return false;
          }
          try {
            sums.add(checksum(s.get(), partitionId(t, p)));
          } catch (IllegalStateException | StorageException e) {
            return false;  // the replica is being rebuilt from a snapshot right now: look again
          }
          n++;
        }
        if (n != replicas || sums.size() != 1) {
          return false;
        }
      }
      return true;
    });
  }

  /** Each replica's offsets, for a failure message: "p0: b0 [0, 42) b1 closed ...". */
  static String describeReplicas(LocalCluster cluster, TopicDescription t) {
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < t.getPartitionsCount(); p++) {
      out.append(" p").append(p).append(':');
      for (Broker b : cluster.brokers()) {
        if (!t.getPartitions(p).getReplicasList().contains(b.brokerId())) {
          continue;
        }
        out.append(" b").append(b.brokerId()).append(' ');
        try {
          int partition = p;
          out.append(localStore(b, t, p).map(s -> {
            var o = s.offsets(partitionId(t, partition));
            return "[" + o.logStartOffset() + ", " + o.nextOffset() + ")";
          }).orElse("not open"));
        } catch (RuntimeException e) {
          out.append(e.getClass().getSimpleName());
        }
      }
    }
    return out.toString();
  }
}
