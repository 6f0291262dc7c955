package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPolicyTest {
  @TempDir Path dir;

  @Test
  void dueAtWhicheverThresholdComesFirst() {
    SnapshotPolicy p = new SnapshotPolicy(4096, 128L << 20);
    assertFalse(p.due(4095, (128L << 20) - 1));
    assertTrue(p.due(4096, 0), "entries");
    assertTrue(p.due(17, 128L << 20), "bytes: 17 entries of 8 MiB");
    assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(0, 1));
  }

  @Test
  void ratisAsksOftenAndPurgesBehindEverySnapshot() {
    ServerConfig c = ServerConfig.of(Map.of("raft.snapshot.threshold.bytes", "64MiB"));
    RaftProperties p = RaftSettings.build(c, dir.toFile());
    assertEquals(SnapshotPolicy.RATIS_CHECK_ENTRIES,
        RaftServerConfigKeys.Snapshot.autoTriggerThreshold(p));
    assertEquals(SnapshotPolicy.RATIS_CHECK_ENTRIES, RaftServerConfigKeys.Log.purgeGap(p));
    assertEquals(new SnapshotPolicy(4096, 64L << 20), RaftSettings.snapshotPolicy(c));
  }
}
