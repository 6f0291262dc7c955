package dev.runnel.client;

import dev.runnel.protocol.KeyPartitioner;

/**
 * The default partitioner, compatible with Kafka's.
 *
 * <ul>
 *   <li>A record with a key goes to {@code toPositive(murmur2(keyBytes)) % numPartitions}: the same
 *       partition Kafka's default partitioner picks for the same key bytes and partition count, and the
 *       same one a broker picks for a batch sent with only a {@code partition_key}.
 *   <li>A record without a key is spread per batch, round robin: the producer appends unkeyed records
 *       of a topic to one partition until that partition's batch is closed (full, or sent after
 *       {@code linger.ms}), then moves to the next partition. Over many batches the partitions get
 *       equal shares, and batches stay large: per-record round robin would cut every batch into
 *       {@code numPartitions} small ones (and each batch is one Raft entry on the broker). Use
 *       {@link RoundRobinPartitioner} for strict per-record alternation.
 * </ul>
 */
public final class DefaultPartitioner implements Partitioner {

  @Override
  public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
      int numPartitions) {
    if (keyBytes == null) {
      return UNASSIGNED;
    }
    return KeyPartitioner.partition(keyBytes, numPartitions);
  }
}
