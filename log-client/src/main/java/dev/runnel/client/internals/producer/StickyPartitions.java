package dev.runnel.client.internals.producer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.internals.net.ClusterView;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-batch round robin for records without a key: each topic has a current partition that receives
 * unkeyed records while its open batch has room; when that batch is closed (full or drained) the next
 * record moves on to the following partition. Partitions without a known leader are skipped when any
 * partition has one.
 */
public final class StickyPartitions {

  /** Appends to a partition: with {@code mustBeOpen}, only into an already open batch (else null). */
  @FunctionalInterface
  public interface Appender {
    RecordAccumulator.AppendResult append(TopicPartition tp, boolean mustBeOpen);
  }

  private static final class Current {
    int partition = -1;
  }

  private final Map<String, Current> current = new ConcurrentHashMap<>();
  private final Random random;

  /** @param random picks each topic's starting partition, so producers do not all start at 0 */
  public StickyPartitions(Random random) {
    this.random = random;
  }

  RecordAccumulator.AppendResult append(String topic, ClusterView view, Appender appender) {
    int n = view.partitionCount(topic);
    if (n <= 0) {
      throw new IllegalStateException("no partitions known for topic '" + topic + "'");
    }
    Current c = current.computeIfAbsent(topic, t -> new Current());
    synchronized (c) {
      if (c.partition >= 0 && c.partition < n) {
        RecordAccumulator.AppendResult r = appender.append(new TopicPartition(topic, c.partition), true);
        if (r != null) {
          return r;
        }
      }
      c.partition = next(topic, view, c.partition < 0 ? random.nextInt(n) - 1 : c.partition, n);
      return appender.append(new TopicPartition(topic, c.partition), false);
    }
  }

  private static int next(String topic, ClusterView view, int from, int n) {
    for (int i = 1; i <= n; i++) {
      int p = Math.floorMod(from + i, n);
      if (view.leaderOf(new TopicPartition(topic, p)) >= 0) {
        return p;
      }
    }
    return Math.floorMod(from + 1, n);
  }

  /** The topic's current partition, or -1; for tests. */
  public int current(String topic) {
    Current c = current.get(topic);
    return c == null ? -1 : c.partition;
  }
}
