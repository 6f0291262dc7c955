package dev.runnel.client;

/**
 * Chooses the partition of a record that has no explicit partition. Set with the producer config
 * {@code partitioner.class} (a class with a public no-argument constructor) or pass an instance to
 * the builder. Implementations must be thread-safe: {@code send} may be called from many threads.
 */
public interface Partitioner {
  /**
   * Returned to let the producer spread the record itself: it fills one batch per partition and then
   * moves on to the next partition, round robin (see {@link DefaultPartitioner}).
   */
  int UNASSIGNED = -1;

  /**
   * @param topic the topic
   * @param key the key object, or null
   * @param keyBytes the serialized key, or null
   * @param value the value object, or null
   * @param valueBytes the serialized value, or null
   * @param numPartitions the topic's partition count, at least 1
   * @return a partition in {@code [0, numPartitions)}, or {@link #UNASSIGNED}
   */
  int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
      int numPartitions);
}
