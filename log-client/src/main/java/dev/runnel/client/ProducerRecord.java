package dev.runnel.client;

import java.util.Objects;

/**
 * A record to send: a topic, an optional partition, a key, a value, headers and an optional timestamp.
 *
 * <p>Partition choice: an explicit partition wins; otherwise a non-null key picks
 * {@code toPositive(murmur2(serializedKey)) % partitions}, exactly as Kafka's default partitioner;
 * otherwise the producer spreads records over the partitions (see {@link DefaultPartitioner}). A null
 * timestamp means "now" when the record is sent.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ProducerRecord<K, V> {
  private final String topic;
  private final Integer partition;
  private final K key;
  private final V value;
  private final Long timestamp;
  private final Headers headers;

  public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value,
      Iterable<Header> headers) {
    this.topic = Objects.requireNonNull(topic, "topic");
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("topic must not be empty");
    }
    if (partition != null && partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, got " + partition);
    }
    if (timestamp != null && timestamp < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0 ms since the epoch, got " + timestamp);
    }
    this.partition = partition;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.headers = headers instanceof Headers h ? h : new Headers(headers);
  }

  public ProducerRecord(String topic, Integer partition, K key, V value) {
    this(topic, partition, null, key, value, null);
  }

  public ProducerRecord(String topic, K key, V value) {
    this(topic, null, null, key, value, null);
  }

  /** A record without a key (spread over the partitions). */
  public ProducerRecord(String topic, V value) {
    this(topic, null, null, null, value, null);
  }

  public String topic() {
    return topic;
  }

  /** The explicit partition, or null to let the partitioner decide. */
  public Integer partition() {
    return partition;
  }

  public K key() {
    return key;
  }

  public V value() {
    return value;
  }

  /** The record timestamp in ms since the epoch, or null for "the time of send". */
  public Long timestamp() {
    return timestamp;
  }

  public Headers headers() {
    return headers;
  }

  @Override
  public String toString() {
    return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", key=" + key
        + ", value=" + value + ", timestamp=" + timestamp + ", headers=" + headers + ")";
  }
}
