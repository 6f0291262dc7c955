package dev.runnel.client;

import dev.runnel.client.errors.NoOffsetForPartitionException;
import dev.runnel.client.errors.WakeupException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link Consumer} for your unit tests: you add the records, it returns them from {@code poll}, with
 * positions, seeks, pause and wakeup behaving like the real consumer.
 *
 * <pre>{@code
 * MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
 * TopicPartition tp = new TopicPartition("orders", 0);
 * consumer.assign(List.of(tp));
 * consumer.updateBeginningOffsets(Map.of(tp, 0L));
 * consumer.addRecord(new ConsumerRecord<>("orders", 0, 0, "k", "v"));
 * service.runOnce(consumer);   // code under test polls
 * assertEquals(1L, consumer.position(tp));
 * }</pre>
 *
 * <p>With {@link #subscribe(Collection)}, the consumer is assigned every partition of the subscribed
 * topics declared with {@link #updatePartitions}, as the real consumer does without groups. Not
 * thread-safe, except {@link #wakeup()}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class MockConsumer<K, V> implements Consumer<K, V> {
  private final String autoOffsetReset;
  private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records = new HashMap<>();
  private final Map<TopicPartition, Long> positions = new LinkedHashMap<>();
  private final Set<TopicPartition> assignment = new LinkedHashSet<>();
  private final Set<TopicPartition> paused = new LinkedHashSet<>();
  private final Map<TopicPartition, Long> beginningOffsets = new HashMap<>();
  private final Map<TopicPartition, Long> endOffsets = new HashMap<>();
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private final Queue<Runnable> pollTasks = new ArrayDeque<>();
  private Set<String> subscription = Set.of();
  private Pattern pattern;
  private RuntimeException pollException;
  private volatile boolean wakeup;
  private boolean closed;

  /** @param autoOffsetReset {@code earliest}, {@code latest} or {@code none} */
  public MockConsumer(String autoOffsetReset) {
    if (!List.of("earliest", "latest", "none").contains(autoOffsetReset)) {
      throw new IllegalArgumentException("autoOffsetReset must be earliest, latest or none");
    }
    this.autoOffsetReset = autoOffsetReset;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Adds a record that a later poll returns; its partition must be assigned. */
  public synchronized void addRecord(ConsumerRecord<K, V> record) {
    ensureOpen();
    TopicPartition tp = record.topicPartition();
    if (!assignment.contains(tp)) {
      throw new IllegalStateException("cannot add a record for unassigned partition " + tp);
    }
    records.computeIfAbsent(tp, k -> new ArrayList<>()).add(record);
    endOffsets.merge(tp, record.offset() + 1, Math::max);
  }

  public synchronized void updateBeginningOffsets(Map<TopicPartition, Long> offsets) {
    beginningOffsets.putAll(offsets);
  }

  public synchronized void updateEndOffsets(Map<TopicPartition, Long> offsets) {
    endOffsets.putAll(offsets);
  }

  /** Declares a topic's partitions; subscribed topics get them assigned. */
  public synchronized void updatePartitions(String topic, int partitions) {
    partitionCounts.put(topic, partitions);
    reassign();
  }

  /** Replaces the assignment of a subscription, as a metadata change would. */
  public synchronized void rebalance(Collection<TopicPartition> partitions) {
    assignment.clear();
    assignment.addAll(partitions);
    positions.keySet().retainAll(assignment);
  }

  /** Runs {@code task} at the start of the next poll (for example to add records or call wakeup). */
  public synchronized void schedulePollTask(Runnable task) {
    pollTasks.add(task);
  }

  /** Makes the next poll throw {@code e} (once). */
  public synchronized void setPollException(RuntimeException e) {
    this.pollException = e;
  }

  public synchronized boolean closed() {
    return closed;
  }

  // ---- Consumer --------------------------------------------------------------------------------

  @Override
  public synchronized void subscribe(Collection<String> topics) {
    ensureOpen();
    subscription = Set.copyOf(topics);
    pattern = null;
    reassign();
  }

  @Override
  public synchronized void subscribe(Pattern newPattern) {
    ensureOpen();
    subscription = Set.of();
    pattern = newPattern;
    reassign();
  }

  private void reassign() {
    if (subscription.isEmpty() && pattern == null) {
      return;
    }
    Set<TopicPartition> wanted = new LinkedHashSet<>();
    partitionCounts.forEach((topic, n) -> {
      if (subscription.contains(topic) || (pattern != null && pattern.matcher(topic).matches())) {
        for (int i = 0; i < n; i++) {
          wanted.add(new TopicPartition(topic, i));
        }
      }
    });
    rebalance(wanted);
  }

  @Override
  public synchronized void assign(Collection<TopicPartition> partitions) {
    ensureOpen();
    subscription = Set.of();
    pattern = null;
    rebalance(partitions);
  }

  @Override
  public synchronized void unsubscribe() {
    subscription = Set.of();
    pattern = null;
    assignment.clear();
    positions.clear();
  }

  @Override
  public synchronized Set<TopicPartition> assignment() {
    return Set.copyOf(assignment);
  }

  @Override
  public synchronized Set<String> subscription() {
    return subscription;
  }

  @Override
  public synchronized ConsumerRecords<K, V> poll(Duration timeout) {
    ensureOpen();
    Runnable task;
    while ((task = pollTasks.poll()) != null) {
      task.run();
    }
    if (wakeup) {
      wakeup = false;
      throw new WakeupException();
    }
    if (pollException != null) {
      RuntimeException e = pollException;
      pollException = null;
      throw e;
    }
    Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
    for (TopicPartition tp : assignment) {
      if (paused.contains(tp)) {
        continue;
      }
      long position = resolvePosition(tp);
      for (ConsumerRecord<K, V> r : records.getOrDefault(tp, List.of())) {
        if (r.offset() >= position) {
          out.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
          position = r.offset() + 1;
        }
      }
      positions.put(tp, position);
      records.remove(tp);
    }
    return new ConsumerRecords<>(out);
  }

  private long resolvePosition(TopicPartition tp) {
    Long p = positions.get(tp);
    if (p != null) {
      return p;
    }
    switch (autoOffsetReset) {
      case "earliest":
        p = beginningOffsets.getOrDefault(tp, 0L);
        break;
      case "latest":
        p = endOffsets.getOrDefault(tp, 0L);
        break;
      default:
        throw new NoOffsetForPartitionException("no position for " + tp
            + " and auto.offset.reset is none");
    }
    positions.put(tp, p);
    return p;
  }

  @Override
  public long position(TopicPartition partition) {
    return position(partition, Duration.ZERO);
  }

  @Override
  public synchronized long position(TopicPartition partition, Duration timeout) {
    checkAssigned(partition);
    return resolvePosition(partition);
  }

  @Override
  public synchronized void seek(TopicPartition partition, long offset) {
    checkAssigned(partition);
    positions.put(partition, offset);
  }

  @Override
  public synchronized void seekToBeginning(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions.isEmpty() ? assignment : partitions) {
      seek(tp, beginningOffsets.getOrDefault(tp, 0L));
    }
  }

  @Override
  public synchronized void seekToEnd(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions.isEmpty() ? assignment : partitions) {
      seek(tp, endOffsets.getOrDefault(tp, 0L));
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
    return offsetsForTimes(timestamps, Duration.ZERO);
  }

  @Override
  public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestamps, Duration timeout) {
    Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
    timestamps.forEach((tp, ts) -> {
      OffsetAndTimestamp found = null;
      for (ConsumerRecord<K, V> r : records.getOrDefault(tp, List.of())) {
        if (r.timestamp() >= ts) {
          found = new OffsetAndTimestamp(r.offset(), r.timestamp());
          break;
        }
      }
      out.put(tp, found);
    });
    return out;
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    return beginningOffsets(partitions, Duration.ZERO);
  }

  @Override
  public synchronized Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions,
      Duration timeout) {
    Map<TopicPartition, Long> out = new HashMap<>();
    partitions.forEach(tp -> out.put(tp, beginningOffsets.getOrDefault(tp, 0L)));
    return out;
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return endOffsets(partitions, Duration.ZERO);
  }

  @Override
  public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions,
      Duration timeout) {
    Map<TopicPartition, Long> out = new HashMap<>();
    partitions.forEach(tp -> out.put(tp, endOffsets.getOrDefault(tp, 0L)));
    return out;
  }

  @Override
  public synchronized List<PartitionInfo> partitionsFor(String topic) {
    List<PartitionInfo> out = new ArrayList<>();
    for (int i = 0; i < partitionCounts.getOrDefault(topic, 0); i++) {
      out.add(new PartitionInfo(topic, i, 0, 0, List.of(0), -1, -1, ""));
    }
    return out;
  }

  @Override
  public synchronized void pause(Collection<TopicPartition> partitions) {
    partitions.forEach(this::checkAssigned);
    paused.addAll(partitions);
  }

  @Override
  public synchronized void resume(Collection<TopicPartition> partitions) {
    paused.removeAll(partitions);
  }

  @Override
  public synchronized Set<TopicPartition> paused() {
    return Set.copyOf(paused);
  }

  @Override
  public void wakeup() {
    wakeup = true;
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  @Override
  public synchronized void close(Duration timeout) {
    closed = true;
  }

  private void checkAssigned(TopicPartition tp) {
    if (!assignment.contains(tp)) {
      throw new IllegalStateException("partition " + tp + " is not assigned to this consumer");
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the consumer is closed");
    }
  }
}
