package dev.runnel.server.partition;

import dev.runnel.proto.v1.LeaderHint;
import dev.runnel.server.raft.RaftHost;
import dev.runnel.server.service.DamageListener;
import dev.runnel.server.service.Replica;
import dev.runnel.server.service.ReplicaDirectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Tracks the partition state machines open on this broker (Ratis opens and closes them as groups
 * are added, removed and re-opened at restart) and exposes them as {@link Replica}s.
 */
public final class LocalReplicas implements ReplicaDirectory, PartitionStateMachine.Events {
  private final Map<String, LocalPartition> open = new ConcurrentHashMap<>();
  private final Supplier<RaftHost> host;
  private final IntFunction<LeaderHint> hints;
  private final IntConsumer onLeaderChange;
  private final DamageListener damage;
  private final StorageFailureListener storageFailures;
  private volatile String storageProblem = "";

  /** Told when writing a replica's files failed without damaging them. */
  @FunctionalInterface
  public interface StorageFailureListener {
    void failed(String raftGroupId, String where, Throwable failure);
  }

  /**
   * @param host supplies the Raft host (created after the state-machine registry that needs this)
   * @param onLeaderChange told the new leader's broker id whenever a local group's leader changes
   */
  public LocalReplicas(Supplier<RaftHost> host, IntFunction<LeaderHint> hints, IntConsumer onLeaderChange,
      DamageListener damage, StorageFailureListener storageFailures) {
    this.host = host;
    this.damage = damage;
    this.storageFailures = storageFailures;
    this.hints = hints;
    this.onLeaderChange = onLeaderChange;
  }

  @Override
  public Optional<Replica> local(String raftGroupId) {
    return Optional.ofNullable(open.get(raftGroupId));
  }

  /** Open partitions with their group ids, for leader reporting. */
  public Map<String, LocalPartition> all() {
    return Map.copyOf(open);
  }

  @Override
  public List<String> groupIds() {
    return List.copyOf(open.keySet());
  }

  /**
   * Closes the group's member here if Ratis dropped it after a failed start without closing it
   * ({@link PartitionStateMachine#closeIfAbandoned}); true if it did.
   */
  public boolean closeIfAbandoned(RaftGroupId gid) {
    LocalPartition p = open.get(gid.getUuid().toString());
    return p != null && p.stateMachine().closeIfAbandoned();
  }

  @Override
  public void onOpened(PartitionStateMachine sm) {
    RaftGroupId gid = sm.getGroupId();
    open.put(gid.getUuid().toString(), new LocalPartition(host.get(), gid, sm, hints));
  }

  @Override
  public void onClosed(PartitionStateMachine sm) {
    open.remove(sm.getGroupId().getUuid().toString());
  }

  @Override
  public void onDamaged(PartitionStateMachine sm, String reason) {
    damage.damaged(sm.getGroupId().getUuid().toString(), "apply", reason);
  }

  @Override
  public void onStorageFailed(PartitionStateMachine sm, String where, Throwable failure) {
    storageFailures.failed(sm.getGroupId().getUuid().toString(), where, failure);
  }

  @Override
  public String storageProblem() {
    return storageProblem;
  }

  /** Why this broker's replicas are out of service (empty when they are not), for client errors. */
  public void setStorageProblem(String problem) {
    storageProblem = problem;
  }

  @Override
  public void onLeaderChanged(PartitionStateMachine sm, int leaderBrokerId) {
    onLeaderChange.accept(leaderBrokerId);
  }
}
