package dev.runnel.client;

import java.util.List;
import java.util.Map;

/**
 * A partition's placement: its replicas, its leader and, when known, its offsets.
 *
 * @param topic the topic
 * @param partition the partition index
 * @param leaderId the broker id of the leader, or -1 when there is none right now
 * @param leaderEpoch the Raft term of the leader (grows with every election)
 * @param replicas broker ids holding a replica
 * @param logStartOffset first stored offset, or -1 when unknown (always -1 from
 *     {@code Producer.partitionsFor})
 * @param logEndOffset the offset the next record will get, or -1 when unknown
 * @param raftGroupId the Raft group replicating the partition, or "" when unknown (always "" from
 *     {@code Producer.partitionsFor})
 * @param damagedReplicas replicas out of service because their files were found damaged or
 *     missing, by broker id, with what was found; each is being rebuilt from the healthy replicas
 *     (only from {@code Admin.describeTopic})
 */
public record PartitionInfo(String topic, int partition, int leaderId, long leaderEpoch,
    List<Integer> replicas, long logStartOffset, long logEndOffset, String raftGroupId,
    Map<Integer, String> damagedReplicas) {

  public PartitionInfo {
    replicas = List.copyOf(replicas);
    damagedReplicas = Map.copyOf(damagedReplicas);
  }

  /** A partition with no damaged replicas. */
  public PartitionInfo(String topic, int partition, int leaderId, long leaderEpoch,
      List<Integer> replicas, long logStartOffset, long logEndOffset, String raftGroupId) {
    this(topic, partition, leaderId, leaderEpoch, replicas, logStartOffset, logEndOffset, raftGroupId,
        Map.of());
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  public boolean hasLeader() {
    return leaderId >= 0;
  }
}
