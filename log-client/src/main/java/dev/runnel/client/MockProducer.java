package dev.runnel.client;

import dev.runnel.client.serialization.Serializer;
import dev.runnel.protocol.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Producer} for your unit tests: it records what is sent and completes sends when you say
 * so, without any broker.
 *
 * <pre>{@code
 * MockProducer<String, String> producer = new MockProducer<>(false, new StringSerializer(),
 *     new StringSerializer());
 * CompletableFuture<RecordMetadata> f = service.publish(producer);   // code under test
 * producer.errorNext(new TimeoutException("broker down"));
 * assertThrows(ExecutionException.class, f::get);
 * assertEquals("orders", producer.history().get(0).topic());
 * }</pre>
 *
 * <p>Partitions follow the real producer's rules: an explicit partition wins, a key picks
 * {@code murmur2(keyBytes) % partitions} (key bytes from the key serializer), and records without a key
 * go round robin. Topics have one partition unless {@link #setPartitionCount} says otherwise; offsets
 * count from 0 per partition. Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class MockProducer<K, V> implements Producer<K, V> {
  private record Pending(CompletableFuture<RecordMetadata> future, Callback callback,
      RecordMetadata metadata) {}

  private final boolean autoComplete;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final List<ProducerRecord<K, V>> sent = new ArrayList<>();
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final Map<String, Integer> roundRobin = new HashMap<>();
  private RuntimeException sendException;
  private boolean closed;
  private boolean flushed;

  /**
   * @param autoComplete complete every send successfully at once; otherwise call
   *     {@link #completeNext()} or {@link #errorNext}
   * @param keySerializer serializes keys for partitioning; null uses the key's {@code toString()} in
   *     UTF-8
   * @param valueSerializer applied to values so serialization failures show up as with the real
   *     producer; may be null
   */
  public MockProducer(boolean autoComplete, Serializer<K> keySerializer,
      Serializer<V> valueSerializer) {
    this.autoComplete = autoComplete;
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /** An auto-completing mock without serializers. */
  public MockProducer() {
    this(true, null, null);
  }

  /** Sets a topic's partition count (default 1). */
  public synchronized void setPartitionCount(String topic, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    partitionCounts.put(topic, partitions);
  }

  /** Makes the next {@code send} throw {@code e} (once), as a serialization failure would. */
  public synchronized void throwOnNextSend(RuntimeException e) {
    this.sendException = e;
  }

  @Override
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public synchronized CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record,
      Callback callback) {
    if (closed) {
      throw new IllegalStateException("cannot send after the producer is closed");
    }
    if (sendException != null) {
      RuntimeException e = sendException;
      sendException = null;
      throw e;
    }
    byte[] key = serializeKey(record);
    if (valueSerializer != null) {
      valueSerializer.serialize(record.topic(), record.headers(), record.value());
    }
    int partition = partition(record, key);
    TopicPartition tp = new TopicPartition(record.topic(), partition);
    long offset = nextOffsets.merge(tp, 1L, Long::sum) - 1;
    long ts = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
    sent.add(record);
    Pending p = new Pending(new CompletableFuture<>(), callback,
        new RecordMetadata(record.topic(), partition, offset, ts));
    if (autoComplete) {
      succeed(p);
    } else {
      pending.addLast(p);
    }
    return p.future();
  }

  private byte[] serializeKey(ProducerRecord<K, V> record) {
    if (record.key() == null) {
      return null;
    }
    return keySerializer != null ? keySerializer.serialize(record.topic(), record.headers(), record.key())
        : String.valueOf(record.key()).getBytes(StandardCharsets.UTF_8);
  }

  private int partition(ProducerRecord<K, V> record, byte[] key) {
    int n = partitionCounts.getOrDefault(record.topic(), 1);
    if (record.partition() != null) {
      if (record.partition() >= n) {
        throw new IllegalArgumentException("partition " + record.partition() + " of topic '"
            + record.topic() + "' does not exist in the mock (it has " + n + "; see setPartitionCount)");
      }
      return record.partition();
    }
    if (key != null) {
      return KeyPartitioner.partition(key, n);
    }
    return roundRobin.merge(record.topic(), 1, Integer::sum) % n;
  }

  /** Completes the oldest pending send successfully; false if none is pending. */
  public synchronized boolean completeNext() {
    Pending p = pending.pollFirst();
    if (p == null) {
      return false;
    }
    succeed(p);
    return true;
  }

  /** Fails the oldest pending send with {@code e}; false if none is pending. */
  public synchronized boolean errorNext(RuntimeException e) {
    Pending p = pending.pollFirst();
    if (p == null) {
      return false;
    }
    p.future().completeExceptionally(e);
    if (p.callback() != null) {
      p.callback().onCompletion(null, e);
    }
    return true;
  }

  private static void succeed(Pending p) {
    p.future().complete(p.metadata());
    if (p.callback() != null) {
      p.callback().onCompletion(p.metadata(), null);
    }
  }

  /** Completes every pending send successfully, like the real flush waiting for acknowledgements. */
  @Override
  public synchronized void flush() {
    while (completeNext()) {
      // Each call completes one pending send.
    }
    flushed = true;
  }

  @Override
  public synchronized List<PartitionInfo> partitionsFor(String topic) {
    int n = partitionCounts.getOrDefault(topic, 1);
    List<PartitionInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new PartitionInfo(topic, i, 0, 0, List.of(0), -1, -1, ""));
    }
    return out;
  }

  /** Every record sent so far, in order. */
  public synchronized List<ProducerRecord<K, V>> history() {
    return List.copyOf(sent);
  }

  /** Forgets the history (pending sends stay pending). */
  public synchronized void clear() {
    sent.clear();
  }

  public synchronized int pendingCount() {
    return pending.size();
  }

  public synchronized boolean flushed() {
    return flushed;
  }

  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  @Override
  public synchronized void close(Duration timeout) {
    closed = true;
  }
}
