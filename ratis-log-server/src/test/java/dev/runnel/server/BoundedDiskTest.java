package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.testkit.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic written with many times its retention size keeps the broker's data directory (Raft log,
 * snapshots, RocksDB) within the bound documented in docs/operations.md: retention plus about
 * {@code raft.snapshot.threshold.entries} entries of Raft log (their payloads in the entry-data
 * files), a segment's entries more, and a few RocksDB files.
 */
class BoundedDiskTest {
  private static final long RETENTION = 2L << 20;
  private static final int BATCH = 100_000;
  private static final int BATCHES = 800;

  @TempDir Path dir;

  @Test
  void dataDirectoryStaysBoundedByRetention() throws Exception {
    Map<String, String> s = Map.of("retention.check.interval.ms", "100", "raft.snapshot.threshold.entries", "32",
        "raft.log.segment.bytes", "4096", "max.batch.bytes", "262144", "max.record.bytes", "200000",
        "raft.log.write.buffer.bytes", "393216");
    try (LocalCluster cluster = LocalCluster.start(1, dir, s); TestClient c = new TestClient(cluster.bootstrap())) {
      TopicDescription t = c.admin().createTopic(CreateTopicRequest.newBuilder().setName("big").setPartitions(1)
          .setReplicationFactor(1).putConfigs("retention.bytes", Long.toString(RETENTION)).build()).getTopic();
      PartitionId p = ClusterFixture.partitionId(t, 0);
      // RocksDB's native library: one fixed copy in <data.dir>/native, not data; counted apart.
      long library = size(cluster.dataDir(0).resolve("native"));
      assertTrue(library > 0 && library < (64L << 20), "one library copy: " + library);
      long max = 0;
      for (int i = 0; i < BATCHES; i++) {
        ClusterFixture.produce(cluster, "big", 0, Batches.values("y".repeat(BATCH)).toByteString());
        if (i % 20 == 19) {
          max = Math.max(max, size(cluster.dataDir(0)) - library);
        }
      }
      LocalCluster.waitFor(Duration.ofSeconds(30), "retention applied", () -> ClusterFixture
          .localStore(cluster.brokers().get(0), t, 0).map(st -> st.offsets(p).storedBytes() <= RETENTION).orElse(false));
      long written = (long) BATCH * BATCHES;
      // Bound: retention + snapshot threshold x entry size (payloads kept until the next snapshot)
      // + one 4 KiB Raft log segment's entries (~100 headers) x entry size + one entry-data file
      // (4 x (max.batch.bytes + 64 KiB)) + two checkpoints' worth of files not yet compacted away
      // + RocksDB overhead.
      long bound = RETENTION + 32L * BATCH + 100L * BATCH + 4 * (262144 + 65536) + 2 * RETENTION
          + (4L << 20);
      assertTrue(max < bound, "data dir peaked at " + max + " bytes for " + written + " written; bound " + bound);
      assertTrue(written > 3 * bound, "the test writes several times the bound");
      System.out.println("BoundedDiskTest: peak " + max + " bytes on disk for " + written + " written, bound " + bound);
    }
  }

  /**
   * Bytes on disk under root, counting hard-linked files (checkpoints share SSTs) once. Files and
   * directories may vanish while it walks (compaction, log purge, old checkpoints deleted in the
   * background): those are skipped, not errors.
   */
  private static long size(Path root) {
    Set<Object> seen = new HashSet<>();
    long[] total = {0};
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
          if (a.isRegularFile() && seen.add(a.fileKey())) {
            total[0] += a.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total[0];
  }
}
