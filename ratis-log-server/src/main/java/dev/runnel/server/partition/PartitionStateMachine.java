package dev.runnel.server.partition;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendResult;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionReply;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.common.PartitionKeys;
import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.raft.LifecycleStateMachine;
import dev.runnel.server.raft.RaftMessages;
import dev.runnel.server.raft.SnapshotPolicy;
import dev.runnel.server.record.BatchHeaders;
import dev.runnel.server.storage.EntryDataFiles;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.storage.PartitionStore.BatchAppend;
import dev.runnel.server.storage.StorageException;
import dev.runnel.server.storage.StoreOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.LogProtoUtils;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis adapter for a partition group: decodes {@link PartitionCommand}s and hands them to the
 * group's {@link PartitionStore}. All log logic (offsets, idempotence, trimming) is in the store.
 *
 * <p>Apply contract: entries are applied in log order on one thread and the store records each
 * entry's index in the same atomic write as its data. An entry at or below the store's applied
 * index is already reflected in the store (the store survived a restart ahead of the last
 * snapshot) and is skipped, so no entry is ever applied twice. A storage failure while applying is
 * rethrown: Ratis then closes this replica rather than let it diverge from the others.
 *
 * <p>Snapshots are store checkpoints in the state-machine directory (see {@link Checkpoints}),
 * written by a {@link CheckpointWriter} thread while entries keep being applied; the live store
 * lives in {@code <group dir>/db}, outside what a snapshot install replaces.
 */
public final class PartitionStateMachine extends LifecycleStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionStateMachine.class);
  private static final Message EMPTY_REPLY = RaftMessages.of(PartitionReply.getDefaultInstance());

  /** Callbacks to the broker; invoked on Ratis threads and must not block. */
  public interface Events {
    void onOpened(PartitionStateMachine sm);

    void onClosed(PartitionStateMachine sm);

    void onLeaderChanged(PartitionStateMachine sm, int leaderBrokerId);

    /** The store failed a check while applying: this replica must be taken out of service. */
    void onDamaged(PartitionStateMachine sm, String reason);

    /** Writing the replica's files failed (disk full, I/O error) without damaging them. */
    void onStorageFailed(PartitionStateMachine sm, String where, Throwable failure);
  }

  private final StoreOpener opener;
  private final Events events;
  private final CheckpointWriter checkpoints;
  private final Function<String, List<PartitionId>> partitionsOfGroup;
  private final SnapshotPolicy snapshotPolicy;
  private final RandomGenerator random;
  private final EntryPayloads payloads;
  private final EntryDataApi dataApi;
  /** Entry payloads kept outside the Raft log; open from open() to close, across pauses. */
  private volatile EntryDataFiles entryData;
  /** When the next checkpoint is due, drawn anew for each one; apply thread only. */
  private SnapshotPolicy.Threshold nextCheckpoint;
  /** Bytes of entries applied since the latest checkpoint started; apply thread only. */
  private long bytesSinceCheckpoint;
  private final AppendSignal appendSignal = new AppendSignal();
  private volatile PartitionStore store;
  private volatile Path smDir;
  private volatile Path dbDir;
  /** The Ratis member this state machine was opened for; see {@link #closeIfAbandoned}. */
  private volatile RaftServer.Division member;
  private volatile Checkpoints.Checkpoint latestCheckpoint;
  private volatile SnapshotInfo latestSnapshot;
  /** Set by the apply thread, taken by close; both under {@link #checkpointLock}. */
  private volatile CheckpointWriter.Task<Written> pendingCheckpoint;
  private final Object checkpointLock = new Object();

  /**
   * @param partitionsOfGroup the partitions the metadata places in a Raft group (by group id), as
   *     far as this broker knows them yet: their storage is prepared when the replica opens
   * @param checkpoints where snapshots are written, off the apply thread
   * @param snapshotPolicy when a snapshot is due (Ratis asks every few entries)
   * @param random draws each checkpoint's threshold from the policy's jitter; shared by the
   *     broker's groups, so it must be thread-safe
   * @param payloads how entries carry their commands (in the Raft log or beside it)
   */
  public PartitionStateMachine(StoreOpener opener, Events events,
      Function<String, List<PartitionId>> partitionsOfGroup, CheckpointWriter checkpoints,
      SnapshotPolicy snapshotPolicy, RandomGenerator random, EntryPayloads payloads) {
    this.payloads = payloads;
    this.dataApi = new EntryDataApi(() -> entryData, payloads);
    this.snapshotPolicy = snapshotPolicy;
    this.random = random;
    this.nextCheckpoint = snapshotPolicy.draw(random);
    this.opener = opener;
    this.events = events;
    this.checkpoints = checkpoints;
    this.partitionsOfGroup = partitionsOfGroup;
  }

  @Override
  protected void open(RaftStorage storage) throws IOException {
    try {
      member = getServer().join().getDivision(getGroupId());
    } catch (IOException | RuntimeException e) {
      member = null;  // only closeIfAbandoned needs it, and it then does nothing
    }
    smDir = storage.getStorageDir().getStateMachineDir().toPath();
    dbDir = storage.getStorageDir().getRoot().toPath().resolve("db");
    Files.createDirectories(smDir);
    entryData = payloads.open(storage.getStorageDir().getRoot().toPath());
    reload();
  }

  @Override
  public DataApi data() {
    return dataApi;
  }

  /**
   * Closes the Ratis member this state machine was opened for if its server no longer hosts it,
   * and says whether it did. Ratis 3.3 drops a member whose start failed (seen in CI: a race
   * between the start and the leader's first AppendEntries, "previous != null") without closing
   * it: its storage stays locked, so every later open of the group fails ("Failed to lock
   * storage"), and this store stays open. Closing it releases both.
   */
  public boolean closeIfAbandoned() {
    if (!isAbandoned()) {
      return false;
    }
    LOG.warn("{}: closing a member whose start failed, which Ratis dropped without closing",
        getGroupId());
    try {
      member.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the abandoned member failed: {}", getGroupId(), e.toString());
    }
    return true;
  }

  /** Whether the member this state machine was opened for is open but no longer on its server. */
  private boolean isAbandoned() {
    RaftServer.Division m = member;
    RaftServer server = getServer().getNow(null);
    if (m == null || server == null || !m.getInfo().isAlive()) {
      return false;
    }
    try {
      return server.getDivision(getGroupId()) != m;
    } catch (IOException e) {
      return true;  // not hosted at all
    }
  }

  @Override
  protected void reload() throws IOException {
    latestCheckpoint = Checkpoints.latest(smDir).orElse(null);
    latestSnapshot = snapshotInfo(latestCheckpoint);
    PartitionStore s = opener.open(dbDir);
    if (latestCheckpoint != null && s.applied().index() < latestCheckpoint.index()) {
      // A snapshot was installed (or the store lost data): the checkpoint is the newer truth.
      LOG.info("{}: rebuilding store at {} from checkpoint {}", getGroupId(), s.applied(),
          latestCheckpoint.dir().getFileName());
      s.close();
      Checkpoints.restore(latestCheckpoint, dbDir);
      s = opener.open(dbDir);
    }
    prepare(s);
    checkpointIfBehind(s);
    bytesSinceCheckpoint = 0;  // what lies past the checkpoint is not counted: at most a crash's loss
    store = s;
    // Ratis resumes applying after the snapshot index it gets from getLatestSnapshot(); entries up
    // to the store's own applied index are then skipped in applyTransaction.
    setLastAppliedTermIndex(latestCheckpoint == null ? null
        : TermIndex.valueOf(latestCheckpoint.term(), latestCheckpoint.index()));
    events.onOpened(this);
    appendSignal.signal();
  }

  /**
   * Makes what the store holds the latest snapshot when it is ahead of the last checkpoint, as it
   * is after most restarts (checkpoints come every {@code raft.snapshot.threshold.entries}), so
   * that Ratis replays only the entries the store lacks. Ratis replays its log from the snapshot
   * index, and 3.3 keeps every entry it reads back in its segment cache until the log rolls a new
   * segment (the cache may only evict below the index the log was opened at): a replay of the
   * thousands of entries a busy group has between checkpoints held them all on the heap, and
   * brokers restarted after a benchmark ran out of their 512 MiB in seconds (reliability.md,
   * Findings). What is replayed now is what the store lost with its memtables, which the
   * broker's write-buffer budget bounds. The checkpoint is hard links to files the store already
   * has (a reopened store's memtables are empty, the WAL being off), so this costs milliseconds.
   */
  private void checkpointIfBehind(PartitionStore s) {
    AppliedIndex applied = s.applied();
    if (applied.index() < 0
        || (latestCheckpoint != null && latestCheckpoint.index() >= applied.index())) {
      return;
    }
    Written written;
    try {
      written = write(s, smDir, applied, latestCheckpoint);
    } catch (IOException | RuntimeException e) {
      // Not needed for correctness (a longer replay, as before), and a full disk must not keep the
      // replica from opening; an incomplete checkpoint is never taken for one (Checkpoints).
      LOG.warn("{}: could not checkpoint the store at {} on open; Ratis replays from {}: {}",
          getGroupId(), applied, latestCheckpoint == null ? "the log's start"
              : latestCheckpoint.index(), e.toString());
      return;
    }
    LOG.info("{}: checkpoint at the store's applied {} on open (last was {})", getGroupId(), applied,
        latestCheckpoint == null ? "none" : latestCheckpoint.index());
    latestCheckpoint = written.checkpoint();
    latestSnapshot = written.info();
  }

  /** A hint: partitions the metadata does not know yet are prepared at their first append. */
  private void prepare(PartitionStore s) {
    try {
      s.prepare(partitionsOfGroup.apply(getGroupId().getUuid().toString()));
    } catch (StorageException e) {
      LOG.warn("{}: could not prepare storage for the group's partitions; each is prepared at its"
          + " first append instead: {}", getGroupId(), e.getMessage());
    }
  }

  @Override
  protected void closeState() {
    PartitionStore s;
    synchronized (checkpointLock) {
      s = store;
      store = null;
    }
    // Before the store closes and before a snapshot install replaces the state-machine directory.
    CheckpointWriter.Task<Written> task;
    synchronized (checkpointLock) {
      task = pendingCheckpoint;
      pendingCheckpoint = null;
    }
    if (task != null) {
      task.cancelOrAwait();
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: error closing store", getGroupId(), e);
      }
      events.onClosed(this);
    }
    appendSignal.signal();
  }

  @Override
  protected void closeForGood() {
    EntryDataFiles f = entryData;
    if (f != null) {
      f.close();
    }
  }

  /** The store, or empty while the replica is closed or being re-initialised. */
  public Optional<PartitionStore> store() {
    return Optional.ofNullable(store);
  }

  /** Completes at the next apply (or close); long-polling reads wait on it. */
  public CompletableFuture<Void> nextAppend() {
    return appendSignal.next();
  }

  /**
   * On the leader, keeps the command that was proposed with the entry, so that its apply need not
   * parse the entry's bytes back (they are a rope of the request's arrays, see
   * {@link ProposedCommand}, and parsing a rope copies every batch).
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    if (!(request.getMessage() instanceof ProposedCommand proposed)) {
      return super.startTransaction(request);
    }
    TransactionContext.Builder b = TransactionContext.newBuilder().setStateMachine(this)
        .setClientRequest(request).setStateMachineContext(proposed.command());
    // The command as state-machine data: Ratis logs an empty header and hands the bytes to
    // EntryDataApi. An empty command (none carries nothing) must stay log data: Ratis would take
    // empty state-machine data for data it has to read back.
    if (payloads.separate() && !proposed.getContent().isEmpty()) {
      b.setLogData(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.EMPTY)
          .setStateMachineData(proposed.getContent());
    }
    return b.build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    AppliedIndex at = new AppliedIndex(entry.getTerm(), entry.getIndex());
    // The entry's size as written, payload included even when Ratis passes only its header.
    bytesSinceCheckpoint += LogProtoUtils.getSerializedSize(entry);
    PartitionStore s = store;
    if (s == null) {
      throw new IllegalStateException(getGroupId() + ": apply while the store is closed");
    }
    if (at.index() <= s.applied().index()) {
      updateLastAppliedTermIndex(at.term(), at.index());
      return CompletableFuture.completedFuture(EMPTY_REPLY);
    }
    PartitionCommand cmd;
    org.apache.ratis.thirdparty.com.google.protobuf.ByteString bytes;
    try {
      bytes = trx.getStateMachineContext() instanceof PartitionCommand ? null : commandBytes(entry);
    } catch (IOException | StorageException e) {
      // The payload Ratis counted as written is not there: this replica cannot follow the log.
      reportStorageFailure("reading the payload of entry " + at, e);
      throw e instanceof StorageException se ? se : new StorageException(getGroupId() + ": reading the"
          + " payload of entry " + at + ": " + e.getMessage(), e);
    }
    try {
      // The leader has the command it proposed; others parse a view of the entry's bytes. Either
      // way the batches are copied once, into the store's write batch.
      cmd = trx.getStateMachineContext() instanceof PartitionCommand proposed ? proposed
          : RaftMessages.parse(bytes, PartitionCommand.parser());
    } catch (IOException e) {
      // Every replica sees the same bytes and skips the same way, so replicas stay identical.
      LOG.error("{}: unreadable entry at {}; recorded as applied without effect", getGroupId(), at, e);
      s.recordApplied(at);
      updateLastAppliedTermIndex(at.term(), at.index());
      return CompletableFuture.completedFuture(EMPTY_REPLY);
    }
    PartitionReply reply;
    try {
      reply = switch (cmd.getCommandCase()) {
        case APPEND -> append(s, at, cmd.getAppend().getBatchesList());
        case TRIM -> PartitionReply.newBuilder().setLogStartOffset(s.trim(at,
            PartitionKeys.toId(cmd.getTrim().getPartition()), cmd.getTrim().getUpToOffset())).build();
        case COMMAND_NOT_SET -> {
          s.recordApplied(at);
          yield PartitionReply.getDefaultInstance();
        }
      };
    } catch (StorageException e) {
      reportStorageFailure("applying entry " + at, e);
      throw e;
    }
    updateLastAppliedTermIndex(at.term(), at.index());
    appendSignal.signal();
    return CompletableFuture.completedFuture(RaftMessages.of(reply));
  }

  /** An entry's command: its log data, or its payload, as Ratis passed it or from the files. */
  private org.apache.ratis.thirdparty.com.google.protobuf.ByteString commandBytes(LogEntryProto entry)
      throws IOException {
    if (!EntryDataApi.hasSeparatePayload(entry)) {
      return entry.getStateMachineLogEntry().getLogData();
    }
    org.apache.ratis.thirdparty.com.google.protobuf.ByteString attached = EntryDataApi.payloadOf(entry);
    if (!attached.isEmpty()) {
      return attached;
    }
    EntryDataFiles f = entryData;
    if (f == null) {
      throw new IOException(getGroupId() + ": entry data files are not open");
    }
    return EntryDataApi.read(f, entry);
  }

  /**
   * A read or write of this replica's files failed: damaged files are taken out of service and
   * rebuilt; anything else (a full disk, an I/O error) stops the replica, keeping its files.
   */
  public void reportStorageFailure(String where, Throwable failure) {
    if (failure instanceof StorageException se && se.isDamage()) {
      events.onDamaged(this, where + ": " + se.getMessage());
    } else {
      events.onStorageFailed(this, where, failure);
    }
  }

  private static PartitionReply append(PartitionStore s, AppliedIndex at, List<AppendBatch> batches) {
    List<BatchAppend> appends = new ArrayList<>(batches.size());
    for (AppendBatch b : batches) {
      ByteString bytes = b.getBatch();
      try {
        appends.add(new BatchAppend(PartitionKeys.toId(b.getPartition()),
            BatchHeaders.read(bytes), bytes.asReadOnlyByteBuffer()));
      } catch (IOException e) {
        throw new IllegalStateException("batch at " + at + " was validated but cannot be read", e);
      }
    }
    PartitionReply.Builder reply = PartitionReply.newBuilder();
    for (dev.runnel.server.storage.AppendResult r : s.append(at, appends)) {
      reply.addResults(AppendResult.newBuilder().setError(r.error()).setErrorMessage(r.message())
          .setBaseOffset(r.baseOffset()).setLogStartOffset(r.logStartOffset())
          .setDuplicate(r.duplicate()));
    }
    return reply.build();
  }

  /**
   * Ratis's log writer failed; it fails every later write of this member too, until the member is
   * restarted, and tells us once per failed write. On a follower nothing else would notice.
   */
  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    reportStorageFailure("Raft log write" + (failedEntry == null ? "" : " at index " + failedEntry.getIndex()),
        cause);
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // Configuration and no-op entries: nothing to store; the next data write records a later index.
    updateLastAppliedTermIndex(term, index);
  }

  /**
   * Adopts the checkpoint written in the background since the last call, or starts one; never
   * writes on this (the apply) thread. Ratis calls this after each round of applied entries once
   * the group is {@code raft.snapshot.threshold.entries} past its last snapshot, and purges its log
   * up to the index returned; -1 (nothing new yet) makes it call again after the next round.
   *
   * <p>A checkpoint is named after the applied index read before it starts. Entries applied while
   * it is written may be in it too: a store restored from it is then ahead of that index and skips
   * the entries it already holds, as after any restart (see the class comment).
   */
  @Override
  public long takeSnapshot() throws IOException {
    PartitionStore s = store;
    if (s == null) {
      return -1;
    }
    purgeEntryData();
    CheckpointWriter.Task<Written> task = pendingCheckpoint;
    if (task != null) {
      if (!task.isDone()) {
        return -1;
      }
      pendingCheckpoint = null;
      return adopt(task);
    }
    AppliedIndex applied = s.applied();
    if (applied.index() < 0
        || (latestCheckpoint != null && latestCheckpoint.index() >= applied.index())) {
      return latestCheckpoint == null ? -1 : latestCheckpoint.index();
    }
    long entriesSince = applied.index() - (latestCheckpoint == null ? -1 : latestCheckpoint.index());
    if (!nextCheckpoint.due(entriesSince, bytesSinceCheckpoint)) {
      return -1;  // Ratis asks again after a few more entries
    }
    Path sm = smDir;
    Checkpoints.Checkpoint keep = latestCheckpoint;
    synchronized (checkpointLock) {
      if (store != s) {
        return -1; // closed meanwhile: the task would only find the store closed
      }
      bytesSinceCheckpoint = 0;
      nextCheckpoint = snapshotPolicy.draw(random);
      pendingCheckpoint = checkpoints.start(() -> {
        try {
          return write(s, sm, applied, keep);
        } catch (IOException | RuntimeException e) {
          // Reported as soon as it happens (the broker stops the replica on a full disk), not at
          // the next apply; adopt() then fails the snapshot towards Ratis.
          reportStorageFailure("snapshot at " + applied, e);
          throw e;
        }
      });
    }
    return -1;
  }

  /**
   * Drops the entry payloads that the latest checkpoint covers and Ratis has purged from its log:
   * never one Ratis may still send to a follower or replay. Ratis purges its log after it adopts
   * a snapshot, so this catches up one round later.
   */
  private void purgeEntryData() {
    EntryDataFiles f = entryData;
    RaftServer.Division m = member;
    Checkpoints.Checkpoint c = latestCheckpoint;
    if (f == null || m == null || c == null) {
      return;
    }
    long logStart = m.getRaftLog().getStartIndex();
    // An empty log (start < 0) holds nothing Ratis could ask for: followers behind get the snapshot.
    long upTo = logStart < 0 ? c.index() : Math.min(c.index(), logStart - 1);
    if (upTo < 0) {
      return;
    }
    try {
      int deleted = f.purgeUpTo(upTo);
      if (deleted > 0) {
        LOG.debug("{}: purged entry payloads up to {} ({} files)", getGroupId(), upTo, deleted);
      }
    } catch (IOException e) {
      // Kept for the next round; a disk that cannot delete files fails its writes soon enough.
      LOG.warn("{}: could not purge entry payloads up to {}: {}", getGroupId(), upTo, e.toString());
    }
  }

  /** A checkpoint written in the background, with the file list Ratis will ask for. */
  private record Written(Checkpoints.Checkpoint checkpoint, SnapshotInfo info) {}

  /**
   * Runs on a {@link CheckpointWriter} thread, concurrently with applies to the store. Deletes the
   * older checkpoints first, except {@code keep} (the latest, which may be streaming to a follower
   * right now; it goes one round later), so at most two complete ones exist.
   */
  private static Written write(PartitionStore s, Path smDir, AppliedIndex applied,
      Checkpoints.Checkpoint keep) throws IOException {
    Path dir = Checkpoints.dirFor(smDir, applied.term(), applied.index());
    Checkpoints.deleteAllExcept(smDir, keep == null ? dir : keep.dir(), dir);
    Checkpoints.deleteRecursively(dir);
    // The flush drops the files retention trimmed (they must not reach the checkpoint); the
    // checkpoint's own flush then has only the few writes applied since.
    s.flush();
    s.checkpoint(dir);
    Checkpoints.markComplete(dir);
    Checkpoints.Checkpoint c = new Checkpoints.Checkpoint(dir, applied.term(), applied.index());
    return new Written(c, snapshotInfo(c));
  }

  private long adopt(CheckpointWriter.Task<Written> task) throws IOException {
    Written written;
    try {
      written = task.outcome();
    } catch (Exception e) {
      // Already reported by the task. Ratis retries a failed snapshot after every applied entry
      // and logs each failure, and an unchecked exception here sent its updater into a loop that
      // logged ~150,000 stack traces a minute onto a full disk: fail checked.
      throw e instanceof IOException io ? io
          : new IOException(getGroupId() + ": snapshot failed: " + e.getMessage(), e);
    }
    if (written == null) {
      return -1;
    }
    latestCheckpoint = written.checkpoint();
    latestSnapshot = written.info();
    LOG.debug("{}: checkpoint at {}", getGroupId(), written.checkpoint());
    return written.checkpoint().index();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latestSnapshot;
  }

  /** The file list of a checkpoint, computed once: Ratis asks often, also while installing. */
  private static SnapshotInfo snapshotInfo(Checkpoints.Checkpoint c) {
    if (c == null) {
      return null;
    }
    try {
      List<FileInfo> files = new ArrayList<>();
      for (Path f : Checkpoints.files(c.dir())) {
        files.add(new FileInfo(f, null));
      }
      return new FileListSnapshotInfo(files, c.term(), c.index());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    events.onLeaderChanged(this, GroupIds.brokerId(newLeaderId));
  }

  @Override
  public String toString() {
    return "PartitionStateMachine" + getGroupId();
  }
}
