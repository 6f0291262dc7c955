package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPolicyTest {
  @TempDir Path dir;

  @Test
  void dueAtWhicheverThresholdComesFirst() {
    SnapshotPolicy.Threshold t = new SnapshotPolicy(4096, 128L << 20, 0).draw(new Random(1));
    assertEquals(new SnapshotPolicy.Threshold(4096, 128L << 20), t, "no jitter");
    assertFalse(t.due(4095, (128L << 20) - 1));
    assertTrue(t.due(4096, 0), "entries");
    assertTrue(t.due(17, 128L << 20), "bytes: 17 entries of 8 MiB");
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(1, 1, 91));
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(1, 1, -1));
  }

  @Test
  void jitterLowersBothThresholdsByTheSameDrawnShareAndSpreadsThem() {
    SnapshotPolicy p = new SnapshotPolicy(4000, 100L << 20, 50);
    Random random = new Random(42);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      SnapshotPolicy.Threshold t = p.draw(random);
      assertTrue(t.entries() >= 2000 && t.entries() <= 4000, "entries " + t.entries());
      assertTrue(t.bytes() >= (50L << 20) && t.bytes() <= (100L << 20), "bytes " + t.bytes());
      assertEquals((double) t.entries() / 4000, (double) t.bytes() / (100L << 20), 0.001);
      seen.add(t.entries() / 200);
    }
    // Ten bins of 200 entries between 2,000 and 4,000: a draw that ignored the random source, or
    // kept to a corner of the range, would not fill them all.
    assertEquals(Set.of(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L), seen);
  }

  @Test
  void ratisAsksOftenAndPurgesBehindEverySnapshot() {
    ServerConfig c = ServerConfig.of(Map.of("raft.snapshot.threshold.bytes", "64MiB"));
    RaftProperties p = RaftSettings.build(c, dir.toFile());
    assertEquals(SnapshotPolicy.RATIS_CHECK_ENTRIES,
        RaftServerConfigKeys.Snapshot.autoTriggerThreshold(p));
    assertEquals(SnapshotPolicy.RATIS_CHECK_ENTRIES, RaftServerConfigKeys.Log.purgeGap(p));
    assertEquals(new SnapshotPolicy(4096, 64L << 20, 50), RaftSettings.snapshotPolicy(c));
  }
}
