package dev.runnel.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends consecutive records of a topic to consecutive partitions, ignoring keys (like Kafka's class of
 * the same name). The spread is exact, at the price of smaller batches than {@link DefaultPartitioner}.
 */
public final class RoundRobinPartitioner implements Partitioner {
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

  @Override
  public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
      int numPartitions) {
    int next = counters.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
    return (next & 0x7fffffff) % numPartitions;
  }
}
