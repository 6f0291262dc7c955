package dev.runnel.server.metadata;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.AlterTopicConfig;
import dev.runnel.proto.internal.BrokerHeartbeat;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.DamageRecord;
import dev.runnel.proto.internal.LeaderRecord;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.MetadataReply;
import dev.runnel.proto.internal.MetadataSnapshot;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The replicated cluster metadata: brokers, topics with their placement, partition leaders and the
 * producer-id counter. Free of Raft types: the metadata state machine feeds it commands in log order.
 *
 * <p>{@link #apply} is deterministic and runs on one thread; readers on other threads see each
 * record (an immutable protobuf) whole. Broker liveness is not replicated: every replica notes, with
 * its own clock, when it applied each broker's latest heartbeat.
 */
public final class ClusterState {

  private final Map<Integer, BrokerRecord> brokers = new ConcurrentHashMap<>();
  private final Map<UUID, TopicRecord> topics = new ConcurrentHashMap<>();
  private final Map<String, UUID> liveTopicIds = new ConcurrentHashMap<>();
  /**
   * Each Raft group's anchor: the lowest-numbered partition it serves. Leader and damage records
   * belong to a group's replicas, so they are kept under its anchor and looked up through it.
   */
  private final Map<String, PartitionId> partitionsByGroup = new ConcurrentHashMap<>();
  private final Map<PartitionId, LeaderRecord> leaders = new ConcurrentHashMap<>();
  /** Damaged replicas by group anchor, then broker id. */
  private final Map<PartitionId, Map<Integer, DamageRecord>> damaged = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastHeartbeatMs = new ConcurrentHashMap<>();
  /**
   * The groups each broker said in its last heartbeat it holds stopped. Like the heartbeat times,
   * kept in memory only: after a restart or a snapshot install the next heartbeats refill it.
   */
  private final Map<Integer, Set<String>> stoppedGroups = new ConcurrentHashMap<>();
  private final LongSupplier clockMs;
  private final long startedMs;
  private volatile String clusterId = "";
  private volatile long nextProducerId = 1;
  private volatile AppliedIndex applied = AppliedIndex.INITIAL;

  public ClusterState(LongSupplier clockMs) {
    this.clockMs = clockMs;
    this.startedMs = clockMs.getAsLong();
  }

  /** Applies one command. Rejections are returned in the reply; they change nothing. */
  public synchronized MetadataReply apply(AppliedIndex at, MetadataCommand cmd) {
    MetadataReply reply = switch (cmd.getCommandCase()) {
      case REGISTER_BROKER -> registerBroker(cmd.getRegisterBroker().getBroker());
      case HEARTBEAT -> heartbeat(cmd.getHeartbeat());
      case CREATE_TOPIC -> createTopic(at, cmd.getCreateTopic().getTopic());
      case DELETE_TOPIC -> deleteTopic(cmd.getDeleteTopic().getName());
      case TOPIC_REMOVED -> topicRemoved(cmd.getTopicRemoved().getTopicId());
      case REPORT_LEADER -> reportLeader(cmd.getReportLeader());
      case ALLOCATE_PRODUCER_ID -> MetadataReply.newBuilder().setProducerId(nextProducerId++).build();
      case ALTER_TOPIC_CONFIG -> alterConfig(cmd.getAlterTopicConfig());
      case INIT_CLUSTER -> initCluster(cmd.getInitCluster().getClusterId());
      case ADD_PARTITIONS -> addPartitions(cmd.getAddPartitions());
      case REPORT_DAMAGE -> reportDamage(cmd.getReportDamage().getDamage());
      case REPLICA_REPAIRED -> replicaRepaired(cmd.getReplicaRepaired());
      case COMMAND_NOT_SET -> error(ErrorCode.INVALID_REQUEST, "empty metadata command");
    };
    applied = at;
    return reply;
  }

  private MetadataReply registerBroker(BrokerRecord b) {
    brokers.put(b.getId(), b);
    lastHeartbeatMs.put(b.getId(), clockMs.getAsLong());
    stoppedGroups.remove(b.getId());
    return ok();
  }

  private MetadataReply heartbeat(BrokerHeartbeat h) {
    int brokerId = h.getBrokerId();
    if (!brokers.containsKey(brokerId)) {
      return error(ErrorCode.BROKER_NOT_AVAILABLE, "broker " + brokerId + " is not registered");
    }
    lastHeartbeatMs.put(brokerId, clockMs.getAsLong());
    if (h.getStoppedGroupsCount() == 0) {
      stoppedGroups.remove(brokerId);
    } else {
      stoppedGroups.put(brokerId, Set.copyOf(h.getStoppedGroupsList()));
    }
    return ok();
  }

  private MetadataReply createTopic(AppliedIndex at, TopicRecord topic) {
    if (liveTopicIds.containsKey(topic.getName())) {
      return error(ErrorCode.TOPIC_ALREADY_EXISTS, "topic '" + topic.getName() + "' already exists");
    }
    UUID id = PartitionId.topicIdFromBytes(topic.getTopicId().toByteArray());
    if (topics.containsKey(id)) {
      return error(ErrorCode.INVALID_REQUEST, "topic id " + id + " was used before");
    }
    // Checked again here, in log order, because two brokers may each have placed a topic on the
    // same free capacity; the one applied second is refused.
    Optional<String> full = capacity().overflow(topic);
    if (full.isPresent()) {
      return error(ErrorCode.BROKER_CAPACITY_EXCEEDED, full.get());
    }
    TopicRecord stored = topic.toBuilder().setCreatedIndex(at.index()).build();
    putTopic(id, stored);
    return MetadataReply.newBuilder().setTopic(stored).build();
  }

  private MetadataReply deleteTopic(String name) {
    UUID id = liveTopicIds.get(name);
    if (id == null) {
      return error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + name + "' does not exist");
    }
    liveTopicIds.remove(name);
    putTopic(id, topics.get(id).toBuilder().setDeleting(true).build());
    for (PartitionAssignment p : topics.get(id).getPartitionsList()) {
      leaders.remove(new PartitionId(id, p.getPartition()));
      damaged.remove(new PartitionId(id, p.getPartition()));
    }
    return ok();
  }

  private MetadataReply topicRemoved(ByteString topicId) {
    UUID id = PartitionId.topicIdFromBytes(topicId.toByteArray());
    TopicRecord t = topics.get(id);
    if (t != null && t.getDeleting()) {
      putTopic(id, t.toBuilder().setRemoved(true).build());
    }
    return ok();
  }

  private MetadataReply reportLeader(dev.runnel.proto.internal.ReportLeader r) {
    PartitionId p = new PartitionId(
        PartitionId.topicIdFromBytes(r.getPartition().getTopicId().toByteArray()),
        r.getPartition().getPartition());
    TopicRecord t = topics.get(p.topicId());
    if (t == null || t.getDeleting()) {
      return ok();
    }
    p = anchor(p);
    LeaderRecord old = leaders.get(p);
    // Reports can arrive late and out of order; the highest Raft term wins.
    if (old == null || r.getTerm() >= old.getTerm()) {
      leaders.put(p, LeaderRecord.newBuilder().setPartition(toKey(p))
          .setLeaderId(r.getLeaderId()).setTerm(r.getTerm()).build());
    }
    return ok();
  }

  private MetadataReply reportDamage(DamageRecord d) {
    PartitionId p = toId(d.getPartition());
    TopicRecord t = topics.get(p.topicId());
    if (t == null || t.getDeleting()) {
      return ok();
    }
    p = anchor(p);
    d = d.toBuilder().setPartition(toKey(p)).build();
    // The first report is kept: it names the original cause, later ones only see its consequences.
    // A broker's own finding replaces the controller's inference that the replica is missing.
    damaged.computeIfAbsent(p, k -> new ConcurrentHashMap<>()).merge(d.getBrokerId(), d,
        (old, now) -> old.getInferred() && !now.getInferred() ? now : old);
    return ok();
  }

  private MetadataReply replicaRepaired(dev.runnel.proto.internal.ReplicaRepaired r) {
    PartitionId p = anchor(toId(r.getPartition()));
    damaged.computeIfPresent(p, (k, m) -> {
      m.remove(r.getBrokerId());
      return m.isEmpty() ? null : m;
    });
    return ok();
  }

  private static PartitionId toId(dev.runnel.proto.internal.PartitionKey k) {
    return new PartitionId(PartitionId.topicIdFromBytes(k.getTopicId().toByteArray()), k.getPartition());
  }

  private static dev.runnel.proto.internal.PartitionKey toKey(PartitionId p) {
    return dev.runnel.proto.internal.PartitionKey.newBuilder()
        .setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(p.topicId())))
        .setPartition(p.partition()).build();
  }

  /**
   * The anchor of the group serving {@code p} (see {@link #partitionsByGroup}); {@code p} itself
   * when its topic or partition is unknown.
   */
  private PartitionId anchor(PartitionId p) {
    TopicRecord t = topics.get(p.topicId());
    if (t == null || p.partition() < 0 || p.partition() >= t.getPartitionsCount()) {
      return p;
    }
    PartitionId a = partitionsByGroup.get(t.getPartitions(p.partition()).getRaftGroupId());
    return a == null ? p : a;
  }

  /** The distinct Raft groups of a topic, each as the assignment of its anchor partition. */
  public static List<PartitionAssignment> groupsOf(TopicRecord t) {
    Map<String, PartitionAssignment> first = new LinkedHashMap<>();
    for (PartitionAssignment p : t.getPartitionsList()) {
      first.putIfAbsent(p.getRaftGroupId(), p);
    }
    return List.copyOf(first.values());
  }

  private MetadataReply alterConfig(AlterTopicConfig a) {
    UUID id = liveTopicIds.get(a.getName());
    if (id == null) {
      return error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + a.getName() + "' does not exist");
    }
    TopicRecord.Builder b = topics.get(id).toBuilder();
    b.putAllConfigs(a.getSetMap());
    a.getRemoveList().forEach(b::removeConfigs);
    TopicRecord stored = b.build();
    putTopic(id, stored);
    return MetadataReply.newBuilder().setTopic(stored).build();
  }

  private MetadataReply addPartitions(dev.runnel.proto.internal.AddPartitions a) {
    UUID id = PartitionId.topicIdFromBytes(a.getTopicId().toByteArray());
    TopicRecord t = topics.get(id);
    if (t == null || t.getDeleting()) {
      return error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic " + id + " does not exist");
    }
    if (t.getPartitionsCount() != a.getExpectedCount()) {
      return error(ErrorCode.INVALID_PARTITIONS, "topic '" + t.getName() + "' has "
          + t.getPartitionsCount() + " partitions now, not " + a.getExpectedCount() + "; retry");
    }
    TopicRecord stored = t.toBuilder().addAllPartitions(a.getPartitionsList()).build();
    putTopic(id, stored);
    return MetadataReply.newBuilder().setTopic(stored).build();
  }

  private MetadataReply initCluster(String id) {
    if (clusterId.isEmpty()) {
      clusterId = id;
    }
    return ok();
  }

  private void putTopic(UUID id, TopicRecord t) {
    topics.put(id, t);
    if (!t.getDeleting()) {
      liveTopicIds.put(t.getName(), id);
    }
    for (PartitionAssignment p : groupsOf(t)) {
      partitionsByGroup.put(p.getRaftGroupId(), new PartitionId(id, p.getPartition()));
    }
  }

  // ---- snapshots

  public synchronized MetadataSnapshot toSnapshot() {
    MetadataSnapshot.Builder b = MetadataSnapshot.newBuilder()
        .setAppliedTerm(applied.term()).setAppliedIndex(applied.index())
        .setClusterId(clusterId).setNextProducerId(nextProducerId);
    brokers.values().stream().sorted(Comparator.comparingInt(BrokerRecord::getId))
        .forEach(b::addBrokers);
    topics.values().stream().sorted(Comparator.comparingLong(TopicRecord::getCreatedIndex))
        .forEach(b::addTopics);
    leaders.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.addLeaders(e.getValue()));
    damaged.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> e.getValue()
        .values().stream().sorted(Comparator.comparingInt(DamageRecord::getBrokerId))
        .forEach(b::addDamaged));
    return b.build();
  }

  /** The state plus this replica's view of live brokers, for brokers outside the metadata group. */
  public MetadataSnapshot toObserverView(long sessionTimeoutMs) {
    return toSnapshot().toBuilder().addAllAliveBrokerIds(liveBrokerIds(sessionTimeoutMs)).build();
  }

  /**
   * Replaces the whole state with a snapshot's. Entries are overwritten and then stale ones removed,
   * never cleared first, so concurrent readers do not see an empty cluster in between.
   */
  public synchronized void load(MetadataSnapshot s) {
    Map<Integer, BrokerRecord> newBrokers = new HashMap<>();
    s.getBrokersList().forEach(b -> newBrokers.put(b.getId(), b));
    replace(brokers, newBrokers);
    Map<UUID, TopicRecord> newTopics = new HashMap<>();
    Map<String, UUID> newLive = new HashMap<>();
    Map<String, PartitionId> newGroups = new HashMap<>();
    for (TopicRecord t : s.getTopicsList()) {
      UUID id = PartitionId.topicIdFromBytes(t.getTopicId().toByteArray());
      newTopics.put(id, t);
      if (!t.getDeleting()) {
        newLive.put(t.getName(), id);
      }
      for (PartitionAssignment p : groupsOf(t)) {
        newGroups.put(p.getRaftGroupId(), new PartitionId(id, p.getPartition()));
      }
    }
    replace(topics, newTopics);
    replace(liveTopicIds, newLive);
    replace(partitionsByGroup, newGroups);
    Map<PartitionId, LeaderRecord> newLeaders = new HashMap<>();
    for (LeaderRecord l : s.getLeadersList()) {
      newLeaders.put(new PartitionId(
          PartitionId.topicIdFromBytes(l.getPartition().getTopicId().toByteArray()),
          l.getPartition().getPartition()), l);
    }
    replace(leaders, newLeaders);
    Map<PartitionId, Map<Integer, DamageRecord>> newDamaged = new HashMap<>();
    for (DamageRecord d : s.getDamagedList()) {
      newDamaged.computeIfAbsent(toId(d.getPartition()), k -> new ConcurrentHashMap<>())
          .put(d.getBrokerId(), d);
    }
    replace(damaged, newDamaged);
    long now = clockMs.getAsLong();
    s.getAliveBrokerIdsList().forEach(id -> lastHeartbeatMs.put(id, now));
    clusterId = s.getClusterId();
    nextProducerId = Math.max(1, s.getNextProducerId());
    applied = new AppliedIndex(s.getAppliedTerm(), s.getAppliedIndex());
  }

  private static <K, V> void replace(Map<K, V> target, Map<K, V> source) {
    target.putAll(source);
    target.keySet().retainAll(source.keySet());
  }

  // ---- queries

  public AppliedIndex applied() {
    return applied;
  }

  public String clusterId() {
    return clusterId;
  }

  public Collection<BrokerRecord> brokers() {
    List<BrokerRecord> out = new ArrayList<>(brokers.values());
    out.sort(Comparator.comparingInt(BrokerRecord::getId));
    return out;
  }

  public Optional<BrokerRecord> broker(int id) {
    return Optional.ofNullable(brokers.get(id));
  }

  /**
   * Whether the broker heartbeated within the session timeout, by this replica's clock. Right after
   * this replica starts every registered broker gets one session of grace, so a restarted controller
   * does not declare the whole cluster dead.
   */
  public boolean isAlive(int brokerId, long sessionTimeoutMs) {
    if (!brokers.containsKey(brokerId)) {
      return false;
    }
    long now = clockMs.getAsLong();
    long last = Math.max(lastHeartbeatMs.getOrDefault(brokerId, startedMs), startedMs);
    return now - last <= sessionTimeoutMs;
  }

  /** The Raft groups the broker said in its last heartbeat it holds stopped. */
  public Set<String> stoppedGroups(int brokerId) {
    return stoppedGroups.getOrDefault(brokerId, Set.of());
  }

  public List<Integer> liveBrokerIds(long sessionTimeoutMs) {
    return brokers().stream().map(BrokerRecord::getId)
        .filter(id -> isAlive(id, sessionTimeoutMs)).toList();
  }

  /** The live (not deleting) topic with this name. */
  public Optional<TopicRecord> topic(String name) {
    UUID id = liveTopicIds.get(name);
    return id == null ? Optional.empty() : Optional.ofNullable(topics.get(id));
  }

  public Optional<TopicRecord> topic(UUID id) {
    return Optional.ofNullable(topics.get(id));
  }

  /** Every topic record including those being deleted and tombstones. */
  public List<TopicRecord> allTopicRecords() {
    List<TopicRecord> out = new ArrayList<>(topics.values());
    out.sort(Comparator.comparingLong(TopicRecord::getCreatedIndex));
    return out;
  }

  /** Group replicas per broker against each broker's limit. */
  public synchronized BrokerCapacity capacity() {
    return BrokerCapacity.of(brokers.values(), topics.values());
  }

  public List<TopicRecord> liveTopics() {
    return allTopicRecords().stream().filter(t -> !t.getDeleting()).toList();
  }

  /**
   * The anchor (lowest-numbered partition) of a Raft group, whatever the state of its topic; the
   * key under which the group's leader and damage are reported.
   */
  public Optional<PartitionId> partitionOfGroup(String raftGroupId) {
    return Optional.ofNullable(partitionsByGroup.get(raftGroupId));
  }

  /** Every partition a Raft group serves, in partition order; empty for an unknown group. */
  public List<PartitionId> partitionsOfGroup(String raftGroupId) {
    PartitionId anchor = partitionsByGroup.get(raftGroupId);
    TopicRecord t = anchor == null ? null : topics.get(anchor.topicId());
    if (t == null) {
      return List.of();
    }
    return t.getPartitionsList().stream().filter(p -> p.getRaftGroupId().equals(raftGroupId))
        .map(p -> new PartitionId(anchor.topicId(), p.getPartition())).toList();
  }

  /** Replicas of the partition's group out of service because of damage, by broker id. */
  public Map<Integer, DamageRecord> damaged(PartitionId p) {
    return Map.copyOf(damaged.getOrDefault(anchor(p), Map.of()));
  }

  /** Every damaged replica, by group anchor then broker id. */
  public Map<PartitionId, Map<Integer, DamageRecord>> allDamaged() {
    Map<PartitionId, Map<Integer, DamageRecord>> out = new HashMap<>();
    damaged.forEach((p, m) -> out.put(p, Map.copyOf(m)));
    return out;
  }

  /** How many replicas in the cluster are out of service because of damage. */
  public int damagedReplicaCount() {
    return damaged.values().stream().mapToInt(Map::size).sum();
  }

  /** The last reported leader of the partition's group. */
  public Optional<LeaderRecord> leader(PartitionId p) {
    return Optional.ofNullable(leaders.get(anchor(p)));
  }

  private static MetadataReply ok() {
    return MetadataReply.getDefaultInstance();
  }

  private static MetadataReply error(ErrorCode code, String message) {
    return MetadataReply.newBuilder().setError(code.getNumber()).setErrorMessage(message).build();
  }
}
