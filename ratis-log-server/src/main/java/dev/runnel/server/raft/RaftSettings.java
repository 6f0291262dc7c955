package dev.runnel.server.raft;

import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.config.ServerConfigKeys;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Turns broker configuration into Ratis properties. Ratis keeps buffers, caches and thread pools per
 * group, so every per-group size here is kept small: a broker hosts hundreds of groups
 * (ratis-guide section 6 and section 9 measurements).
 */
public final class RaftSettings {

  /** Ratis log preallocation chunk: small, see {@link #build}. */
  static final int PREALLOCATE_BYTES = 4 << 10;

  private RaftSettings() {}

  public static RaftProperties build(ServerConfig c, File raftDir) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir));
    // Groups are removed either for good (deleted topics: directory deleted) or because their
    // files are damaged: those directories are kept, in quarantine, for the operator.
    RaftServerConfigKeys.setRemovedGroupsDir(p, quarantineDir(raftDir).toFile());
    GrpcConfigKeys.Server.setPort(p, c.raftPort());
    GrpcConfigKeys.Server.setHost(p, c.listenHost());

    // Longer than Ratis defaults: GC pauses on a loaded 2-core host caused leader churn at 150/300 ms.
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(c.raftRpcTimeoutMin().toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(c.raftRpcTimeoutMax().toMillis()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(Math.max(3000, c.requestTimeoutMs())));
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, ms(c.raftRpcTimeoutMax().toMillis() * 2));

    // Produce packs at most max.batch.bytes of batches into one entry (plus the command envelope).
    long maxEntry = maxEntrySize(c).getSize();
    SizeInBytes appenderLimit = SizeInBytes.valueOf(maxEntry);
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, appenderLimit);
    RaftServerConfigKeys.Log.setWriteBufferSize(p,
        SizeInBytes.valueOf(Math.max(c.raftWriteBufferBytes(), maxEntry + 8)));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(maxEntry + (1 << 20)));
    // Snapshot chunks travel in the same gRPC messages: Ratis's 16 MB default would exceed the cap.
    RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, appenderLimit);
    long segmentBytes = segmentBytes(c);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segmentBytes));
    // Ratis zero-fills each preallocated chunk; the zeros past the data are fsynced with it and
    // written again when data lands there. A chunk no larger than one write keeps that to about one
    // page per fsync (measured: 64 KiB chunks cost ~1x the payload in extra disk writes).
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(PREALLOCATE_BYTES));
    // That holds only when each fsync covers one entry: Ratis 3.3 preallocates the bytes it has
    // buffered plus the new entry past the end of the file (not just the shortfall), so with
    // several entries per fsync the zeros run ahead of the data by about half a batch (measured
    // under W1: the log worker wrote 1.57x its data). Group commit stays the default (many
    // producers, slow fsync); raft.log.sync.max.entries=1 trades it for those bytes.
    RaftServerConfigKeys.Log.setForceSyncNum(p, c.raftSyncMaxEntries());
    // Ratis keeps every entry of the open segment on the heap and evicts closed segments' entries
    // (once followers and the state machine have them) when open and closed together exceed
    // this: so a group replica holds about one segment of entries. A broker hosts many groups,
    // and this is what its heap needs per group with traffic (operations.md, "Memory").
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(segmentBytes));
    RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf(64L << 20));
    // Entries whose command travels as state-machine data (raft.log.payload.separate): the cache
    // keeps their headers only, and the log worker syncs the payloads (EntryDataApi.flush) while it
    // forces its own file, waiting for both before the entries count. With sync on, Ratis would
    // wait for the payloads' fsync before starting its own: two fsyncs in a row.
    RaftServerConfigKeys.Log.StateMachineData.setCachingEnabled(p, true);
    RaftServerConfigKeys.Log.StateMachineData.setSync(p, false);

    // Ratis 3.3 chains a follower's log appends on one future when this is on (its default): once
    // one append fails (e.g. entries that arrived out of order after a connection reset), every
    // later append on that replica fails with the same error and the follower never catches up
    // again (seen in the chaos tests: a healed replica stuck for minutes, a rebuilt replica never
    // leaving staging). Off, each appendEntries succeeds or fails on its own and the leader resends.
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);

    // The state machine keeps its own durable copy; snapshots let Ratis purge its log behind it.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    // Ratis counts entries only; it asks this often and the state machines apply SnapshotPolicy.
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p,
        Math.min(SnapshotPolicy.RATIS_CHECK_ENTRIES, c.raftSnapshotThresholdEntries()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 1);
    // A removed group's directory is deleted; a snapshot just before that is wasted work.
    RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(p, false);
    // Purge up to the snapshot even if a follower is behind: it catches up by snapshot install,
    // so a dead replica cannot make the leader's disk grow without bound.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Snapshots are at least RATIS_CHECK_ENTRIES apart; purge behind each one (a larger gap would
    // keep up to gap x entry size of log, which is what the byte threshold bounds).
    RaftServerConfigKeys.Log.setPurgeGap(p, SnapshotPolicy.RATIS_CHECK_ENTRIES);
    return p;
  }

  /** Where damaged replicas are moved: next to the Raft storage directory, never scanned by Ratis. */
  public static java.nio.file.Path quarantineDir(File raftDir) {
    return raftDir.toPath().toAbsolutePath().resolveSibling("quarantine");
  }

  /**
   * A Raft log segment's size: the configured one, but, when entries carry their batches (not
   * {@code raft.log.payload.separate}), room for at least two largest entries.
   */
  public static long segmentBytes(ServerConfig c) {
    return c.raftLogPayloadSeparate() ? c.raftSegmentBytes()
        : Math.max(c.raftSegmentBytes(), maxEntrySize(c).getSize() * 2);
  }

  /**
   * Heap per byte of an open segment's entries when they are headers only. Measured (a jmap
   * histogram of a broker after 400,000 records into 6 partitions, fifteenth session): ~270 bytes
   * of heap per cached entry (the entry objects, their state-machine parts, client ids, Ratis's
   * per-entry records, term-indexes and cache map nodes) against ~27 bytes in the file.
   */
  static final int HEADER_HEAP_FACTOR = 10;

  /** The heap a group replica with traffic holds for good: its open segment's cached entries. */
  public static long heapPerGroupReplica(ServerConfig c) {
    return c.raftLogPayloadSeparate() ? HEADER_HEAP_FACTOR * segmentBytes(c) : segmentBytes(c);
  }

  /** Size at which a group's entry-data file (raft.log.payload.separate) is rolled. */
  public static long entryDataFileBytes(ServerConfig c) {
    // Purged a whole file at a time behind snapshots, so this adds to what a replica keeps on
    // disk; a busy group (~10 MB/s) still rolls only about once a second (each new file costs a
    // directory fsync).
    return 4 * maxEntrySize(c).getSize();
  }

  /** The largest Raft entry a broker writes or accepts. */
  public static SizeInBytes maxEntrySize(ServerConfig c) {
    return SizeInBytes.valueOf((long) c.maxBatchBytes() + ServerConfigKeys.RAFT_ENTRY_OVERHEAD_BYTES);
  }

  /** The snapshot policy the state machines apply (Ratis only asks, see {@link SnapshotPolicy}). */
  public static SnapshotPolicy snapshotPolicy(ServerConfig c) {
    return new SnapshotPolicy(c.raftSnapshotThresholdEntries(), c.raftSnapshotThresholdBytes(),
        c.raftSnapshotJitterPercent());
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
