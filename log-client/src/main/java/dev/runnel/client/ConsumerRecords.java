package dev.runnel.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records returned by one {@code poll}, grouped by partition. Within a partition, records are in
 * offset order.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
  private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of());

  private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;

  public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
    Map<TopicPartition, List<ConsumerRecord<K, V>>> copy = new LinkedHashMap<>();
    records.forEach((tp, list) -> copy.put(tp, List.copyOf(list)));
    this.records = Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  public static <K, V> ConsumerRecords<K, V> empty() {
    return (ConsumerRecords<K, V>) EMPTY;
  }

  /** The records of one partition (empty if none). */
  public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
    return records.getOrDefault(partition, List.of());
  }

  /** The records of one topic, partition by partition. */
  public List<ConsumerRecord<K, V>> records(String topic) {
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    records.forEach((tp, list) -> {
      if (tp.topic().equals(topic)) {
        out.addAll(list);
      }
    });
    return out;
  }

  /** The partitions that have records in this set. */
  public Set<TopicPartition> partitions() {
    return records.keySet();
  }

  public int count() {
    int n = 0;
    for (List<ConsumerRecord<K, V>> list : records.values()) {
      n += list.size();
    }
    return n;
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  @Override
  public Iterator<ConsumerRecord<K, V>> iterator() {
    List<ConsumerRecord<K, V>> all = new ArrayList<>(count());
    records.values().forEach(all::addAll);
    return all.iterator();
  }
}
