package dev.runnel.client;

/**
 * A record read by a consumer.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 * @param timestamp the record's timestamp in ms since the epoch (set by the producer)
 * @param key the deserialized key, or null
 * @param value the deserialized value, or null
 * @param headers the record's headers (read-only)
 * @param <K> key type
 * @param <V> value type
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp, K key,
    V value, Headers headers) {

  /** A record without headers; handy in tests. */
  public ConsumerRecord(String topic, int partition, long offset, K key, V value) {
    this(topic, partition, offset, -1L, key, value, new Headers());
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }
}
