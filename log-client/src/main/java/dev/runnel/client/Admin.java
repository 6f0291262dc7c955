package dev.runnel.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Manages topics and inspects the cluster. Thread-safe. Calls block until the cluster answers or
 * {@code default.api.timeout.ms} passes; retriable failures (no controller yet, a broker restarting)
 * are retried within that time, other failures are thrown as the matching
 * {@link dev.runnel.client.errors.ApiException} (for example
 * {@link dev.runnel.client.errors.TopicExistsException}).
 *
 * <pre>{@code
 * try (Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers("localhost:9292").build())) {
 *   admin.createTopic("orders", 6, 3, Map.of("retention.ms", "604800000"));
 *   for (PartitionInfo p : admin.describeTopic("orders").partitions()) {
 *     System.out.println(p.partition() + " led by " + p.leaderId());
 *   }
 * }
 * }</pre>
 */
public interface Admin extends AutoCloseable {

  /**
   * Creates a topic and waits until every partition has a leader (or the request times out).
   *
   * @param partitions partition count; 0 for the broker default
   * @param replicationFactor replicas per partition; 0 for the broker default
   * @param configs per-topic overrides such as {@code retention.ms}; unknown keys are rejected
   */
  TopicDescription createTopic(String name, int partitions, int replicationFactor,
      Map<String, String> configs);

  default TopicDescription createTopic(String name, int partitions, int replicationFactor) {
    return createTopic(name, partitions, replicationFactor, Map.of());
  }

  /**
   * Grows a topic to {@code totalPartitions}. As in Kafka, keys then map to other partitions: records
   * with one key written before and after the change may sit in different partitions.
   *
   * @throws dev.runnel.client.errors.InvalidPartitionsException if the total is not larger than now
   */
  TopicDescription addPartitions(String name, int totalPartitions);

  /** Deletes a topic: its data, Raft groups and directories are removed from every broker. */
  void deleteTopic(String name);

  List<TopicListing> listTopics();

  /** Replicas, leader and offsets of each partition, and the effective configs. */
  TopicDescription describeTopic(String name);

  /**
   * Sets and removes per-topic config overrides; takes effect without a restart.
   *
   * @return the effective configs afterwards
   */
  Map<String, String> alterTopicConfig(String name, Map<String, String> set, Collection<String> remove);

  ClusterDescription describeCluster();

  @Override
  void close();
}
