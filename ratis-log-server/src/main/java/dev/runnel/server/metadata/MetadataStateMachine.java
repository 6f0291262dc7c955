package dev.runnel.server.metadata;

import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.MetadataReply;
import dev.runnel.proto.internal.MetadataSnapshot;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.raft.LifecycleStateMachine;
import dev.runnel.server.raft.RaftMessages;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis adapter for the metadata group: decodes {@link MetadataCommand}s and applies them to
 * {@link ClusterState}. Snapshots are the whole state as one protobuf file with an MD5 that is
 * checked when loading.
 *
 * <p>{@link #applyTransaction} is deterministic given the log; rejected commands (a duplicate topic
 * name, say) are ordinary replies, never exceptions, because an exception from apply would close
 * the division.
 */
public final class MetadataStateMachine extends LifecycleStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  /** Callbacks to the broker; invoked on Ratis threads and must not block. */
  public interface Events {
    void onApplied(long index);

    void onLeaderChanged(int leaderBrokerId);
  }

  private static final org.apache.ratis.statemachine.SnapshotRetentionPolicy KEEP_TWO =
      new org.apache.ratis.statemachine.SnapshotRetentionPolicy() {
        @Override
        public int getNumSnapshotsRetained() {
          return 2;
        }
      };

  private final long snapshotEveryEntries;
  private final ClusterState state;
  private final Events events;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  private final long sessionTimeoutMs;

  /**
   * @param snapshotEveryEntries applied entries between two snapshots (Ratis asks more often, see
   *     {@link dev.runnel.server.raft.SnapshotPolicy}; metadata entries are small, so only the
   *     count matters)
   */
  public MetadataStateMachine(ClusterState state, Events events, long sessionTimeoutMs,
      long snapshotEveryEntries) {
    this.snapshotEveryEntries = snapshotEveryEntries;
    this.state = state;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.events = events;
  }

  @Override
  protected void open(RaftStorage raftStorage) throws IOException {
    storage.init(raftStorage);
    reload();
  }

  @Override
  protected void reload() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash stored = MD5FileUtil.readStoredMd5ForFile(file);
    if (stored != null) {
      MD5FileUtil.verifySavedMD5(file, stored);
    }
    try (InputStream in = Files.newInputStream(file.toPath())) {
      MetadataSnapshot s = MetadataSnapshot.parseFrom(in);
      state.load(s);
      updateLastAppliedTermIndex(s.getAppliedTerm(), s.getAppliedIndex());
      LOG.info("Loaded metadata snapshot {} ({} topics, {} brokers)", file.getName(),
          s.getTopicsCount(), s.getBrokersCount());
    }
  }

  @Override
  protected void closeState() {
    // The state is in memory and in snapshot files; nothing to release.
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    AppliedIndex at = new AppliedIndex(entry.getTerm(), entry.getIndex());
    MetadataReply reply;
    try {
      MetadataCommand cmd = MetadataCommand.parseFrom(
          RaftMessages.buffer(entry.getStateMachineLogEntry().getLogData()));
      reply = state.apply(at, cmd);
    } catch (IOException e) {
      // Every replica fails the same way on the same bytes, so skipping keeps them identical.
      LOG.error("Unreadable metadata entry at {}; skipped", at, e);
      reply = MetadataReply.newBuilder().setError(2).setErrorMessage("unreadable command").build();
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    events.onApplied(entry.getIndex());
    return CompletableFuture.completedFuture(RaftMessages.of(reply));
  }

  /** Read-only query: the whole state, for brokers outside the metadata group. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(RaftMessages.of(state.toObserverView(sessionTimeoutMs)));
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetadataSnapshot s = state.toSnapshot();
    TermIndex last = getLastAppliedTermIndex();
    // The snapshot covers every applied entry, including conf entries that did not change state.
    long index = last == null ? s.getAppliedIndex() : last.getIndex();
    long term = last == null ? s.getAppliedTerm() : last.getTerm();
    SnapshotInfo latest = storage.getLatestSnapshot();
    if (index < 0 || (latest != null && index - latest.getIndex() < snapshotEveryEntries)) {
      return -1;
    }
    File target = storage.getSnapshotFile(term, index);
    File tmp = new File(target.getPath() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp.toPath())) {
      s.toBuilder().setAppliedTerm(term).setAppliedIndex(index).build().writeTo(out);
    }
    Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), term, index));
    storage.cleanupOldSnapshots(KEEP_TWO);
    return index;
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    if (GroupIds.isMetadata(member.getGroupId())) {
      events.onLeaderChanged(GroupIds.brokerId(newLeaderId));
    }
  }
}
