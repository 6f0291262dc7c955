package dev.runnel.client;

import java.util.Objects;

/**
 * A topic name and a partition index: the unit of ordering, assignment and position.
 *
 * @param topic the topic name
 * @param partition the partition index, from 0
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

  public TopicPartition {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, got " + partition + " for topic '"
          + topic + "'");
    }
  }

  @Override
  public int compareTo(TopicPartition o) {
    int c = topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  /** Kafka's notation, {@code topic-partition}. */
  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
