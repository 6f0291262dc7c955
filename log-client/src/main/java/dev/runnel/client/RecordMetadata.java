package dev.runnel.client;

/**
 * Where an acknowledged record was stored.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset, or -1 when the producer uses {@code acks=none} (the broker does
 *     not answer with offsets then)
 * @param timestamp the record's timestamp in ms since the epoch
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {

  /** The partition as a {@link TopicPartition}. */
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** Whether the broker reported an offset (false with {@code acks=none}). */
  public boolean hasOffset() {
    return offset >= 0;
  }
}
