package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.DescribeTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.PartitionDescription;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged replica files on real brokers: a bit flipped in a RocksDB data file and a truncated Raft
 * log segment are found when the broker starts, a bit flipped under a running leader is found when
 * it is read; each damaged replica is quarantined (never served), reported in DescribeTopic and in
 * a metric, and rebuilt from the healthy replicas until all three are byte-identical again.
 *
 * <p>Five brokers, so that two replicas of a partition can be outside the metadata quorum (0..2)
 * and be stopped without stopping the metadata group.
 */
class DamagedReplicaTest {
  private static final int BATCHES = 60;
  @TempDir Path dir;

  @Test
  void bitFlipInStoreIsFoundAtStartReportedAndRebuiltOnceAMajorityIsBack() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(5, dir, Map.of("storage.verify.on.start", "always",
        "raft.groups.per.topic", "5"));
        TestClient c = new TestClient(cluster.brokers().get(0).clientAddress())) {
      TopicDescription t = ClusterFixture.createTopic(c, "flip", 5, 3);
      int p = partitionOn(t, 3, 4);
      int healthy = t.getPartitions(p).getReplicasList().stream().filter(b -> b < 3).findFirst().orElseThrow();
      fill(cluster, "flip", p);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);

      // Broker 4 stays down, so the partition has no majority to rebuild broker 3's replica with.
      cluster.stopBroker(4);
      cluster.stopBroker(3);
      Path sst = largestSst(cluster.dataDir(3), t, p);
      flipByte(sst, Files.size(sst) / 3);
      cluster.startBroker(3);

      // The controller may notice the missing replica first; the broker's own finding replaces that.
      PartitionDescription d = awaitDamaged(c, "flip", p, 3, "checksum mismatch");
      assertEquals(1, d.getDamagedReplicasCount(), d.toString());
      assertEquals(1.0, damageCount(cluster, 3, "open"));
      Path quarantined = cluster.dataDir(3).resolve("quarantine").resolve(t.getPartitions(p).getRaftGroupId());
      assertTrue(Files.readString(quarantined.resolve("RUNNEL-DAMAGE.txt")).contains("checksum mismatch"));
      assertTrue(cluster.broker(3).orElseThrow().replicas().local(t.getPartitions(p).getRaftGroupId()).isEmpty(),
          "the damaged replica is not open");
      assertTrue(cluster.broker(healthy).isPresent());

      cluster.startBroker(4);
      awaitRepaired(c, "flip", p);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);
      assertEquals(BATCHES, ClusterFixture.readAllSettled(c, "flip", p).size());
      assertEquals(BATCHES, ClusterFixture.produce(cluster, "flip", p, Batches.values("after").toByteString())
          .getBaseOffset());
    }
  }

  @Test
  void truncatedRaftLogAndDamageFoundByAReadAreQuarantinedAndRebuilt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(5, dir, Map.of("storage.verify.on.start", "never",
        "raft.groups.per.topic", "5"));
        TestClient c = new TestClient(cluster.brokers().get(0).clientAddress())) {
      TopicDescription t = ClusterFixture.createTopic(c, "cut", 5, 3);
      int p = partitionOn(t, 3, 4);
      fill(cluster, "cut", p);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);

      // The newest Raft log segment loses its tail: entries the store has already applied.
      cluster.stopBroker(3);
      Path segment = newestSegment(cluster.dataDir(3), t, p);
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        f.setLength(Math.min(f.length(), 200));
      }
      cluster.startBroker(3);
      LocalCluster.waitFor(Duration.ofSeconds(30), "damage found at start", () -> damageCount(cluster, 3, "open") == 1.0);
      awaitRepaired(c, "cut", p);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);

      // A bit flipped under the running leader: found by the next read, which is refused, and the
      // replica leaves service; the reader retries and gets every record from the new leader. The
      // damage goes into a data file written after everything older was read into the block cache.
      for (int i = 0; i < 10; i++) {
        ClusterFixture.produce(cluster, "cut", p, Batches.values("late" + i + "-" + "y".repeat(2000)).toByteString());
      }
      int leader = ClusterFixture.awaitLeader(cluster, t, p);
      Broker lb = cluster.broker(leader).orElseThrow();
      ClusterFixture.localStore(lb, t, p).orElseThrow().flush();
      // Every data block (RocksDB blocks are at least 4 KiB) of every data file gets a flipped bit.
      for (Path sst : ssts(cluster.dataDir(leader), t, p)) {
        for (long pos = 100; pos < Files.size(sst) - 4096; pos += 4000) {
          flipByte(sst, pos);
        }
      }
      try (TestClient direct = new TestClient(lb.clientAddress())) {
        FetchedPartition f = direct.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition.newBuilder()
            .setTopic("cut").setPartition(p).setOffset(BATCHES).setMaxBytes(1 << 20)).build()).getPartitions(0);
        assertEquals(ErrorCode.STORAGE_ERROR, f.getError(), f.toString());
      }
      LocalCluster.waitFor(Duration.ofSeconds(30), "the damaged leader out of service",
          () -> lb.replicas().local(t.getPartitions(p).getRaftGroupId()).isEmpty());
      assertEquals(1.0, damageCount(cluster, leader, "read"));
      awaitRepaired(c, "cut", p);
      ReplicatedClusterTest.awaitIdenticalReplicas(cluster, t, 3);
      assertEquals(BATCHES + 10, ClusterFixture.readAllSettled(c, "cut", p).size());
    }
  }

  /**
   * A partition whose replicas include both given brokers (placement is round robin; the tests
   * give each of the 5 partitions a group of its own so that one exists).
   */
  private static int partitionOn(TopicDescription t, int a, int b) {
    for (int p = 0; p < t.getPartitionsCount(); p++) {
      List<Integer> r = t.getPartitions(p).getReplicasList();
      if (r.contains(a) && r.contains(b)) {
        return p;
      }
    }
    throw new AssertionError("no partition on brokers " + a + " and " + b + ": " + t);
  }

  private static void fill(LocalCluster cluster, String topic, int p) {
    for (int i = 0; i < BATCHES; i++) {
      ClusterFixture.produce(cluster, topic, p, Batches.values("v" + i + "-" + "x".repeat(2000)).toByteString());
    }
  }

  private static PartitionDescription describe(TestClient c, String topic, int p) {
    return c.admin().describeTopic(DescribeTopicRequest.newBuilder().setName(topic).build())
        .getPartitions(p);
  }

  private static PartitionDescription awaitDamaged(TestClient c, String topic, int p, int broker,
      String reason) {
    PartitionDescription[] last = {null};
    LocalCluster.waitFor(Duration.ofSeconds(30), "replica on broker " + broker + " reported damaged", () -> {
      last[0] = describe(c, topic, p);
      return last[0].getDamagedReplicasList().stream()
          .anyMatch(d -> d.getBrokerId() == broker && d.getReason().contains(reason));
    });
    return last[0];
  }

  private static void awaitRepaired(TestClient c, String topic, int p) {
    LocalCluster.waitFor(Duration.ofSeconds(90), "damaged replicas rebuilt",
        () -> describe(c, topic, p).getDamagedReplicasCount() == 0);
  }

  private static double damageCount(LocalCluster cluster, int broker, String found) {
    return Optional.ofNullable(cluster.broker(broker).orElseThrow().meters()
        .find("runnel.storage.damaged.replicas").tag("found", found).counter())
        .map(io.micrometer.core.instrument.Counter::count).orElse(0.0);
  }

  private static Path groupDir(Path dataDir, TopicDescription t, int p) {
    return dataDir.resolve("raft").resolve(t.getPartitions(p).getRaftGroupId());
  }

  private static Path largestSst(Path dataDir, TopicDescription t, int p) throws IOException {
    try (Stream<Path> files = Files.list(groupDir(dataDir, t, p).resolve("db"))) {
      return files.filter(f -> f.toString().endsWith(".sst"))
          .max(Comparator.comparingLong(DamagedReplicaTest::size))
          .orElseThrow(() -> new AssertionError("no SST file in " + groupDir(dataDir, t, p)));
    }
  }

  private static List<Path> ssts(Path dataDir, TopicDescription t, int p) throws IOException {
    try (Stream<Path> files = Files.list(groupDir(dataDir, t, p).resolve("db"))) {
      return files.filter(f -> f.toString().endsWith(".sst")).toList();
    }
  }

  /** The open Raft log segment (the one being appended to). */
  private static Path newestSegment(Path dataDir, TopicDescription t, int p) throws IOException {
    try (Stream<Path> files = Files.list(groupDir(dataDir, t, p).resolve("current"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("log_inprogress_"))
          .findFirst().orElseThrow(() -> new AssertionError("no open Raft log segment"));
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x10);
    }
  }
}
