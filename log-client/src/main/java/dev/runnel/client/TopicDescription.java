package dev.runnel.client;

import java.util.List;
import java.util.Map;

/**
 * A topic in detail, from {@code Admin.describeTopic} or {@code Admin.createTopic}.
 *
 * @param name the topic name
 * @param topicId the immutable topic id
 * @param replicationFactor replicas per partition
 * @param configs effective configs: per-topic overrides, else broker defaults
 * @param partitions per partition: replicas, leader, offsets and Raft group
 */
public record TopicDescription(String name, String topicId, int replicationFactor,
    Map<String, String> configs, List<PartitionInfo> partitions) {

  public TopicDescription {
    configs = Map.copyOf(configs);
    partitions = List.copyOf(partitions);
  }
}
