package dev.runnel.server.metadata;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.DamageRecord;
import dev.runnel.proto.internal.InitCluster;
import dev.runnel.proto.internal.LeaderRecord;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.internal.TopicRemoved;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.raft.GroupAdmin;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the metadata leader and makes the brokers match the replicated intent: creates the Raft
 * groups of new topics on their replicas, removes the groups of deleted topics (also from a
 * broker that was down during the deletion, once it is back), and moves each group's leadership to
 * its preferred replica. It works on groups (several partitions may share one), each named by its
 * anchor partition. Intent is always written through Raft before acting, so a new
 * controller after failover simply resumes the reconciliation.
 */
public final class Controller implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  /** Longest wait between two tries to create a group replica that failed. */
  private static final long CREATE_RETRY_MAX_MS = 30_000;
  /** Leadership moves per pass: spreads elections out rather than starting them all at once. */
  static final int MAX_TRANSFERS_PER_PASS = 4;
  /**
   * Least time between two leadership moves of one partition. While Ratis transfers leadership the
   * leader refuses writes, so a move towards a replica that cannot catch up must not be retried in
   * a tight loop.
   */
  static final long TRANSFER_BACKOFF_MS = 30_000;
  /** Groups whose member priorities one pass checks at most (see {@link #evenPriorities}). */
  static final int PRIORITY_CHECKS_PER_PASS = 32;

  private final int selfId;
  private final ClusterState state;
  private final MetadataClient metadata;
  private final GroupAdmin admin;
  private final long sessionTimeoutMs;
  private final long intervalMs;
  private final Supplier<String> newClusterId;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "runnel-controller"));
  private ScheduledFuture<?> task;
  private volatile boolean active;
  private int passes;
  private final Map<String, Long> lastTransferMs = new HashMap<>();
  private final java.util.function.LongSupplier clockMs;
  private final ReplicaRepair repair;
  /** Group creations that failed, per group and broker, retried with back-off. */
  private final RetryBackoff<String> createRetries;
  /**
   * Established groups whose members this controller found at equal priority; emptied when it
   * becomes the controller, so a group created by a predecessor that failed over before evening
   * out its priorities is checked once more.
   */
  private final Set<String> evenPriorityGroups = new HashSet<>();
  private int priorityChecks;

  public Controller(int selfId, ClusterState state, MetadataClient metadata, GroupAdmin admin,
      long sessionTimeoutMs, long intervalMs, Supplier<String> newClusterId,
      java.util.function.LongSupplier clockMs) {
    this.clockMs = clockMs;
    this.selfId = selfId;
    this.state = state;
    this.metadata = metadata;
    this.admin = admin;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.intervalMs = intervalMs;
    this.newClusterId = newClusterId;
    this.repair = new ReplicaRepair(state, metadata, admin, clockMs);
    this.createRetries = new RetryBackoff<>(1_000, CREATE_RETRY_MAX_MS, clockMs);
  }

  /** Called when the metadata leader changes; activates the loop only on the leader. */
  public synchronized void onMetadataLeader(int leaderId) {
    boolean nowActive = leaderId == selfId;
    if (nowActive == active) {
      return;
    }
    active = nowActive;
    if (nowActive) {
      LOG.info("Broker {} is now the controller", selfId);
      executor.execute(evenPriorityGroups::clear);
      task = executor.scheduleWithFixedDelay(this::safePass, 0, intervalMs, TimeUnit.MILLISECONDS);
    } else if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  public boolean isActive() {
    return active;
  }

  /** Asks for a pass soon, e.g. after a topic was created. */
  public void poke() {
    if (active) {
      executor.execute(this::safePass);
    }
  }

  private void safePass() {
    try {
      if (active) {
        pass();
      }
    } catch (RuntimeException e) {
      LOG.warn("Controller pass failed; will retry", e);
    }
  }

  void pass() {
    passes++;
    priorityChecks = 0;
    if (state.clusterId().isEmpty()) {
      metadata.submit(MetadataCommand.newBuilder()
          .setInitCluster(InitCluster.newBuilder().setClusterId(newClusterId.get())).build());
    }
    // Damage first, then the groups: a replica quarantined before its report then never looks hosted.
    Map<PartitionId, Map<Integer, DamageRecord>> damaged = state.allDamaged();
    Map<Integer, Set<String>> hosted = listLiveBrokers();
    for (TopicRecord t : state.allTopicRecords()) {
      if (t.getDeleting()) {
        removeDeleted(t, hosted);
      } else {
        createMissing(t, hosted, damaged);
      }
    }
    // Balance only every few passes, so fresh groups first elect and report a leader.
    if (passes % 10 == 0) {
      balanceLeaders();
    }
  }

  private Map<Integer, Set<String>> listLiveBrokers() {
    Map<Integer, Set<String>> hosted = new HashMap<>();
    for (int id : state.liveBrokerIds(sessionTimeoutMs)) {
      BrokerRecord b = state.broker(id).orElseThrow();
      try {
        hosted.put(id, admin.list(b));
      } catch (IOException e) {
        LOG.debug("Cannot list groups of broker {}: {}", id, e.getMessage());
        admin.forget(id);
      }
    }
    return hosted;
  }

  /**
   * Creates the groups of new partitions on their replicas. Once a partition has had a leader (or a
   * replica was reported damaged) it is established: a replica missing from it may have held
   * acknowledged entries, so it is rebuilt through {@link ReplicaRepair} rather than re-created.
   */
  private void createMissing(TopicRecord t, Map<Integer, Set<String>> hosted,
      Map<PartitionId, Map<Integer, DamageRecord>> damaged) {
    UUID topicId = PartitionId.topicIdFromBytes(t.getTopicId().toByteArray());
    for (PartitionAssignment p : ClusterState.groupsOf(t)) {
      List<BrokerRecord> replicas = replicas(p);
      if (replicas.size() != p.getReplicasCount()) {
        continue;
      }
      PartitionId id = new PartitionId(topicId, p.getPartition());
      Map<Integer, DamageRecord> partitionDamage = damaged.getOrDefault(id, Map.of());
      if (state.leader(id).isPresent() || !partitionDamage.isEmpty()) {
        repair.repair(t.getName(), id, p, hosted, partitionDamage);
        if (partitionDamage.isEmpty()) {
          evenPriorities(t.getName(), id, p, replicas, hosted);
        }
        continue;
      }
      for (BrokerRecord b : replicas) {
        Set<String> groups = hosted.get(b.getId());
        if (groups != null && isMissing(p.getRaftGroupId(), groups, state.stoppedGroups(b.getId()))) {
          // A restarted broker (new incarnation) is tried at once.
          String key = p.getRaftGroupId() + "@" + b.getId() + "#" + b.getIncarnation();
          if (!createRetries.due(key)) {
            continue;
          }
          try {
            admin.add(b, p.getRaftGroupId(), replicas, p.getReplicas(0));
            groups.add(p.getRaftGroupId());
            createRetries.succeeded(key);
            LOG.info("Created {}-{} (group {}) on broker {}", t.getName(), p.getPartition(),
                p.getRaftGroupId(), b.getId());
          } catch (IOException e) {
            boolean first = createRetries.failed(key);
            String hint = e.getMessage() != null && e.getMessage().contains("direct buffer memory")
                ? " (each Raft group replica holds a direct write buffer of raft.log.write.buffer.bytes: "
                    + "raise the broker's -XX:MaxDirectMemorySize, which defaults to -Xmx; see "
                    + "docs/operations.md, \"Memory\")" : "";
            if (first) {
              LOG.warn("Cannot create group {} ({}-{}) on broker {}: {}{}; retrying with back-off",
                  p.getRaftGroupId(), t.getName(), p.getPartition(), b.getId(), e.getMessage(), hint);
            } else if (createRetries.delayMs(key) == CREATE_RETRY_MAX_MS) {
              LOG.warn("Still cannot create group {} ({}-{}) on broker {}: {}{}; retrying every {} s",
                  p.getRaftGroupId(), t.getName(), p.getPartition(), b.getId(), e.getMessage(), hint,
                  CREATE_RETRY_MAX_MS / 1000);
            }
          }
        }
      }
    }
  }

  /**
   * Gives the members of a group that has had its first leader equal Raft priorities again. A new
   * group's preferred replica is created with a higher priority so that it wins the first election
   * (GroupAdmin.add): its first leader is then where the placement put it, and no leadership move
   * follows a few seconds later, while clients start writing. Left raised, the priority would have
   * Ratis hand leadership back to that replica whenever it catches up (all at once after a broker
   * restart, where the controller spreads such moves out) and refuse to move it elsewhere. Checked
   * once per group per controller term, at most {@link #PRIORITY_CHECKS_PER_PASS} per pass.
   */
  private void evenPriorities(String topic, PartitionId id, PartitionAssignment p,
      List<BrokerRecord> replicas, Map<Integer, Set<String>> hosted) {
    String gid = p.getRaftGroupId();
    if (evenPriorityGroups.contains(gid) || priorityChecks >= PRIORITY_CHECKS_PER_PASS) {
      return;
    }
    List<BrokerRecord> hosting = replicas.stream()
        .filter(b -> hosted.getOrDefault(b.getId(), Set.of()).contains(gid)).toList();
    if (hosting.size() != replicas.size()) {
      return;  // a replica is down or being rebuilt; the rebuild's configuration evens them out
    }
    priorityChecks++;
    try {
      GroupAdmin.Conf conf = admin.conf(hosting.get(0), gid);
      if (conf.changing()) {
        return;
      }
      if (!conf.evenPriorities()) {
        admin.setConfiguration(gid, hosting, replicas);
        LOG.info("{}-{}: first leader elected; member priorities evened out", topic, id.partition());
      }
      evenPriorityGroups.add(gid);
    } catch (IOException e) {
      LOG.debug("{}-{}: cannot even out member priorities yet: {}", topic, id.partition(),
          e.getMessage());
    }
  }

  /**
   * Whether a new partition's group is missing from a broker: not listed by its Raft server, and
   * not held stopped there either. A stopped replica (a full disk) is not listed, and creating it
   * anew fails on its files ("Failed to FORMAT"); worse, Ratis 3.3's failed add then removes
   * whatever member is registered under the group's id, which can be the replica's own restart
   * (reliability.md, "a suspended replica's restart can stall").
   */
  static boolean isMissing(String groupId, Set<String> listed, Set<String> stopped) {
    return !listed.contains(groupId) && !stopped.contains(groupId);
  }

  private void removeDeleted(TopicRecord t, Map<Integer, Set<String>> hosted) {
    boolean leftovers = false;
    for (PartitionAssignment p : ClusterState.groupsOf(t)) {
      evenPriorityGroups.remove(p.getRaftGroupId());
      for (Map.Entry<Integer, Set<String>> e : hosted.entrySet()) {
        if (e.getValue().contains(p.getRaftGroupId())) {
          try {
            admin.remove(state.broker(e.getKey()).orElseThrow(), p.getRaftGroupId());
            LOG.info("Removed group {} of deleted topic {} from broker {}", p.getRaftGroupId(),
                t.getName(), e.getKey());
          } catch (IOException ex) {
            leftovers = true;
            LOG.warn("Cannot remove group {} from broker {}: {}", p.getRaftGroupId(), e.getKey(),
                ex.getMessage());
          }
        }
      }
    }
    if (!leftovers && !t.getRemoved()) {
      metadata.submit(MetadataCommand.newBuilder()
          .setTopicRemoved(TopicRemoved.newBuilder().setTopicId(t.getTopicId())).build());
    }
  }

  private void balanceLeaders() {
    int transfers = 0;
    for (TopicRecord t : state.liveTopics()) {
      UUID id = PartitionId.topicIdFromBytes(t.getTopicId().toByteArray());
      for (PartitionAssignment p : ClusterState.groupsOf(t)) {
        if (transfers >= MAX_TRANSFERS_PER_PASS) {
          return;
        }
        int preferred = p.getReplicas(0);
        Optional<LeaderRecord> leader = state.leader(new PartitionId(id, p.getPartition()));
        long now = clockMs.getAsLong();
        if (leader.isEmpty() || leader.get().getLeaderId() == preferred
            || !state.isAlive(preferred, sessionTimeoutMs)
            || now - lastTransferMs.getOrDefault(p.getRaftGroupId(), 0L) < TRANSFER_BACKOFF_MS) {
          continue;
        }
        lastTransferMs.put(p.getRaftGroupId(), now);
        transfers++;
        try {
          admin.transferLeadership(p.getRaftGroupId(), replicas(p), state.broker(preferred).orElseThrow());
        } catch (IOException e) {
          LOG.debug("Leadership transfer of {} to {} failed: {}", p.getRaftGroupId(), preferred,
              e.getMessage());
        }
      }
    }
  }

  private List<BrokerRecord> replicas(PartitionAssignment p) {
    return p.getReplicasList().stream().map(state::broker).flatMap(Optional::stream).toList();
  }

  @Override
  public void close() {
    active = false;
    executor.shutdownNow();
    admin.close();
  }
}
