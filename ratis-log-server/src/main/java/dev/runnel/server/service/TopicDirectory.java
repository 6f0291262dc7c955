package dev.runnel.server.service;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.LeaderRecord;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.LeaderHint;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.metadata.ClusterState;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves topic names and partitions to their ids, Raft groups and leaders, from this broker's
 * copy of the cluster metadata and its own replicas (which know leader changes first).
 */
public final class TopicDirectory {
  private final ClusterState state;
  private final ReplicaDirectory replicas;

  /** A resolved partition. */
  public record Target(TopicRecord topic, PartitionId id, PartitionAssignment assignment) {
    public String groupId() {
      return assignment.getRaftGroupId();
    }
  }

  public TopicDirectory(ClusterState state, ReplicaDirectory replicas) {
    this.state = state;
    this.replicas = replicas;
  }

  public TopicRecord topic(String name) {
    return state.topic(name).orElseThrow(() -> new ServiceException(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + name + "' does not exist"));
  }

  public Target resolve(String topicName, int partition) {
    return resolve(topic(topicName), partition);
  }

  public Target resolve(TopicRecord t, int partition) {
    if (partition < 0 || partition >= t.getPartitionsCount()) {
      throw new ServiceException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + t.getName()
          + "' has partitions 0.." + (t.getPartitionsCount() - 1) + "; partition " + partition
          + " does not exist");
    }
    UUID id = PartitionId.topicIdFromBytes(t.getTopicId().toByteArray());
    return new Target(t, new PartitionId(id, partition), t.getPartitions(partition));
  }

  public Optional<Replica> local(Target t) {
    return replicas.local(t.groupId());
  }

  /** Best-known leader: the local replica's view if this broker has one, else the metadata's. */
  public int leaderOf(Target t) {
    Optional<Replica> r = local(t);
    if (r.isPresent() && r.get().leaderId() >= 0) {
      return r.get().leaderId();
    }
    return state.leader(t.id()).map(LeaderRecord::getLeaderId).orElse(-1);
  }

  /** See {@link ReplicaDirectory#storageProblem()}. */
  public String storageProblem() {
    return replicas.storageProblem();
  }

  public long leaderEpochOf(Target t) {
    return state.leader(t.id()).map(LeaderRecord::getTerm).orElse(-1L);
  }

  public LeaderHint hint(int brokerId) {
    Optional<BrokerRecord> b = state.broker(brokerId);
    LeaderHint.Builder h = LeaderHint.newBuilder().setBrokerId(brokerId);
    b.ifPresent(r -> h.setAddress(r.getHost() + ":" + r.getClientPort()));
    return h.build();
  }
}
