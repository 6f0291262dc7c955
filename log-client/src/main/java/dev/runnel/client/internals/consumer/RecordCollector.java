package dev.runnel.client.internals.consumer;

import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.ConsumerRecords;
import dev.runnel.client.Headers;
import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.client.errors.RecordDeserializationException;
import dev.runnel.client.internals.consumer.CompletedFetch.OffsetRecord;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.serialization.Deserializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns buffered fetches into the records one poll returns, on the polling thread: skips what the
 * position has moved past, drops data made stale by a backward seek or a pause, deserializes, and
 * advances positions. A record that fails to deserialize stops the poll at that record: records before
 * it are returned first, and the next poll throws {@link RecordDeserializationException} with the
 * position still on it, until the application seeks past it.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RecordCollector<K, V> {
  private final SubscriptionState subscriptions;
  private final FetchBuffer buffer;
  private final Deserializer<K> keyDeserializer;
  private final Deserializer<V> valueDeserializer;
  private final int maxRecords;

  public RecordCollector(SubscriptionState subscriptions, FetchBuffer buffer,
      Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer, int maxRecords) {
    this.subscriptions = subscriptions;
    this.buffer = buffer;
    this.keyDeserializer = keyDeserializer;
    this.valueDeserializer = valueDeserializer;
    this.maxRecords = maxRecords;
  }

  /** Up to {@code max.poll.records} records; empty if nothing usable is buffered. */
  public ConsumerRecords<K, V> collect() {
    Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
    int count = 0;
    int visited = 0;
    while (count < maxRecords) {
      CompletedFetch f = buffer.peek();
      if (f == null || visited++ > maxRecords + 1_000) {
        break;
      }
      TopicPartition tp = f.topicPartition();
      Long position = subscriptions.isAssigned(tp) && !subscriptions.isPaused(tp)
          ? subscriptions.position(tp) : null;
      if (position == null || position < f.nextOffset()) {
        // Unassigned, paused, being reset, or the user seeked backwards: this data is stale.
        buffer.remove(f);
        continue;
      }
      f.skipTo(position);
      List<ConsumerRecord<K, V>> list = out.computeIfAbsent(tp, k -> new ArrayList<>());
      boolean stop = drainOne(f, tp, list, maxRecords - count, count > 0);
      count = total(out);
      if (list.isEmpty()) {
        out.remove(tp);
      }
      if (stop) {
        break;
      }
    }
    return new ConsumerRecords<>(out);
  }

  private static int total(Map<TopicPartition, ? extends List<?>> out) {
    int n = 0;
    for (List<?> l : out.values()) {
      n += l.size();
    }
    return n;
  }

  /**
   * Moves records of one fetch into {@code list}.
   *
   * @return true when the poll must stop here (a poison record after some records were collected)
   */
  private boolean drainOne(CompletedFetch f, TopicPartition tp, List<ConsumerRecord<K, V>> list,
      int limit, boolean haveRecords) {
    int taken = 0;
    while (taken < limit) {
      OffsetRecord r;
      ConsumerRecord<K, V> record;
      try {
        r = f.peek();
        if (r == null) {
          buffer.remove(f);
          return false;
        }
        record = deserialize(tp, r);
      } catch (RecordDeserializationException e) {
        // Positions already moved past the collected records, so return those first; the fetch
        // stays buffered and the next poll reports the error with the position on the bad record.
        if (haveRecords || taken > 0) {
          return true;
        }
        throw e;
      } catch (CorruptRecordException e) {
        // A damaged batch cannot be partly read: drop the fetch, so the next poll fetches again from
        // the position (a seek past the batch continues behind it).
        buffer.remove(f);
        if (haveRecords || taken > 0) {
          return true;
        }
        throw e;
      }
      list.add(record);
      f.advance();
      subscriptions.advance(tp, r.offset() + 1);
      taken++;
    }
    // This fetch still has records: let the next poll start with another partition.
    buffer.rotate();
    return false;
  }

  private ConsumerRecord<K, V> deserialize(TopicPartition tp, OffsetRecord r) {
    RawRecord raw = r.record();
    Headers headers = new Headers(raw.headers());
    headers.setReadOnly();
    K key;
    V value;
    try {
      key = keyDeserializer.deserialize(tp.topic(), headers, raw.key());
    } catch (RuntimeException e) {
      throw new RecordDeserializationException(tp, r.offset(), "key", e);
    }
    try {
      value = valueDeserializer.deserialize(tp.topic(), headers, raw.value());
    } catch (RuntimeException e) {
      throw new RecordDeserializationException(tp, r.offset(), "value", e);
    }
    return new ConsumerRecord<>(tp.topic(), tp.partition(), r.offset(), raw.timestampMs(), key, value,
        headers);
  }
}
