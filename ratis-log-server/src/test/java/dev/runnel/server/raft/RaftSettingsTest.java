package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.config.ServerConfig;
import java.io.File;
import java.nio.file.Path;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ratis settings whose values are load-bearing for correctness, not just speed. */
class RaftSettingsTest {
  @TempDir Path dir;

  @Test
  void followerAppendsAreNotChainedSoOneFailureCannotStallAReplica() {
    RaftProperties p = RaftSettings.build(ServerConfig.defaults(), dir.toFile());
    assertFalse(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p));
  }

  @Test
  void anEntryCountsAsFlushedOnlyOnceItsFsyncCovers() {
    RaftProperties p = RaftSettings.build(ServerConfig.defaults(), dir.toFile());
    assertFalse(RaftServerConfigKeys.Log.asyncFlushEnabled(p), "async flush can over-report the flushed index");
    assertFalse(RaftServerConfigKeys.Log.unsafeFlushEnabled(p));
  }

  @Test
  void groupCommitIsTheDefaultAndOneEntryPerFsyncIsOptIn() {
    assertEquals(128, RaftServerConfigKeys.Log.forceSyncNum(
        RaftSettings.build(ServerConfig.defaults(), dir.toFile())));
    assertEquals(1, RaftServerConfigKeys.Log.forceSyncNum(RaftSettings.build(
        ServerConfig.of(java.util.Map.of("raft.log.sync.max.entries", "1")), dir.toFile())));
  }

  @Test
  void logIsPurgedBehindSnapshotsAndEntriesFitInMessages() {
    ServerConfig c = ServerConfig.defaults();
    RaftProperties p = RaftSettings.build(c, dir.toFile());
    assertTrue(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(p));
    assertTrue(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(p));
    long maxEntry = RaftSettings.maxEntrySize(c).getSize();
    assertTrue(RaftServerConfigKeys.Log.Appender.bufferByteLimit(p).getSize() >= maxEntry);
    assertTrue(RaftServerConfigKeys.Log.writeBufferSize(p).getSize() > maxEntry);
    assertEquals(new File(dir.toFile(), "raft").toPath().getParent(),
        RaftSettings.quarantineDir(new File(dir.toFile(), "raft")).getParent());
  }
}
