package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition group checkpoints exactly every {@code raft.snapshot.threshold.entries} entries
 * without jitter, and at drawn, lower thresholds with it, drawn anew for each checkpoint: the
 * jitter is what keeps a topic's groups, which take equal load, from checkpointing together.
 */
class SnapshotJitterTest {
  private static final int THRESHOLD = 128;
  private static final int ENTRIES = 900;

  @TempDir Path dir;

  @Test
  void withoutJitterEveryGapIsTheThresholdAndWithItSomeAreLower() throws Exception {
    List<Long> fixed = checkpointGaps(dir.resolve("fixed"), 0);
    assertTrue(fixed.size() >= 4, "checkpoints without jitter: " + fixed);
    assertTrue(fixed.stream().allMatch(g -> g >= THRESHOLD), "gaps without jitter: " + fixed);

    // At 90 %, each threshold is drawn from [12.8, 128] entries, so a gap under 100 has a chance
    // of about 0.7 per checkpoint, and ~10 checkpoints all at 100 or more would be ~1 in 100,000.
    List<Long> jittered = checkpointGaps(dir.resolve("jittered"), 90);
    assertTrue(jittered.size() > fixed.size(), "more checkpoints with lower thresholds: " + jittered);
    assertTrue(jittered.stream().anyMatch(g -> g < 100), "gaps with jitter: " + jittered);
    assertTrue(jittered.stream().distinct().count() >= 3, "drawn anew each time: " + jittered);
  }

  /** The distance, in Raft entries, between consecutive checkpoints of a one-partition topic. */
  private static List<Long> checkpointGaps(Path dataDir, int jitterPercent) throws Exception {
    Map<String, String> config = Map.of("raft.snapshot.threshold.entries", String.valueOf(THRESHOLD),
        "raft.snapshot.jitter.percent", String.valueOf(jitterPercent));
    TreeSet<Long> seen = new TreeSet<>();
    try (LocalCluster cluster = LocalCluster.start(1, dataDir, config)) {
      TopicDescription t;
      try (TestClient c = new TestClient(cluster.bootstrap())) {
        t = ClusterFixture.createTopic(c, "t", 1, 1);
      }
      Path sm = cluster.dataDir(0).resolve("raft").resolve(t.getPartitions(0).getRaftGroupId())
          .resolve("sm");
      // One entry per produce. A checkpoint is deleted only once two newer ones exist, at least
      // ~13 entries later, so looking after every entry sees each of them.
      for (int i = 0; i < ENTRIES; i++) {
        ClusterFixture.produce(cluster, "t", 0, Batches.values("v" + i).toByteString());
        seen.addAll(checkpointIndexes(sm));
      }
    }
    List<Long> gaps = new ArrayList<>();
    Long previous = null;
    for (long index : seen) {
      if (previous != null) {
        gaps.add(index - previous);
      }
      previous = index;
    }
    return gaps;
  }

  private static List<Long> checkpointIndexes(Path sm) throws Exception {
    if (!Files.isDirectory(sm)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(sm)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("checkpoint\\.\\d+_\\d+"))  // not RocksDB's "….tmp" while written
          .map(n -> Long.parseLong(n.replaceAll(".*_", "")))
          .toList();
    }
  }
}
