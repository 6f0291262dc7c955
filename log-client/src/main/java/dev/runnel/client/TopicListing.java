package dev.runnel.client;

/**
 * A topic as listed by {@code Admin.listTopics}.
 *
 * @param name the topic name
 * @param topicId the immutable topic id (a re-created topic gets a new one)
 * @param partitions the partition count
 * @param replicationFactor replicas per partition
 */
public record TopicListing(String name, String topicId, int partitions, int replicationFactor) {}
