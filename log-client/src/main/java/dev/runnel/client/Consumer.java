package dev.runnel.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads records from Runnel topics. Not thread-safe: use a consumer from one thread at a time; only
 * {@link #wakeup()} may be called from another thread.
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder()
 *     .bootstrapServers("localhost:9292")
 *     .autoOffsetReset("earliest")
 *     .keyDeserializer(new StringDeserializer())
 *     .valueDeserializer(new JsonDeserializer<>(Order.class))
 *     .build();
 * try (Consumer<String, Order> consumer = new RunnelConsumer<>(config)) {
 *   consumer.subscribe(List.of("orders"));
 *   while (running) {
 *     try {
 *       for (ConsumerRecord<String, Order> r : consumer.poll(Duration.ofMillis(500))) {
 *         handle(r.key(), r.value());
 *       }
 *     } catch (RecordDeserializationException e) {
 *       log.warn("skipping poison record", e);
 *       consumer.seek(e.topicPartition(), e.offset() + 1);
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>No group coordination yet.</b> Runnel has no consumer groups so far: {@link #subscribe}
 * assigns this consumer <em>every</em> partition of the subscribed topics (or of every topic matching
 * the pattern), picks up partitions and, for patterns, topics that appear later (on the next metadata
 * refresh, at most {@code metadata.max.age.ms} apart), and starts each new partition per
 * {@code auto.offset.reset}. No offsets are committed; positions live in this consumer only.
 *
 * @param <K> key type
 * @param <V> value type
 * @see RunnelConsumer
 * @see MockConsumer
 */
public interface Consumer<K, V> extends AutoCloseable {

  /**
   * Reads every partition of these topics (replacing any previous topic subscription). An empty
   * collection is the same as {@link #unsubscribe()}.
   *
   * @throws IllegalStateException if partitions were assigned with {@link #assign} or a pattern is
   *     subscribed
   */
  void subscribe(Collection<String> topics);

  /** Reads every partition of every topic whose whole name matches {@code pattern}. */
  void subscribe(Pattern pattern);

  /** Reads exactly these partitions (replacing any previous assignment). */
  void assign(Collection<TopicPartition> partitions);

  /** Drops the subscription or assignment and all buffered data. */
  void unsubscribe();

  /** The partitions currently assigned (for subscriptions: those known from metadata so far). */
  Set<TopicPartition> assignment();

  /** The subscribed topic names (empty for pattern subscriptions and manual assignment). */
  Set<String> subscription();

  /**
   * Returns buffered records, waiting up to {@code timeout} for some to arrive. Positions advance past
   * the records returned.
   *
   * @throws dev.runnel.client.errors.RecordDeserializationException for a record that cannot be
   *     deserialized; seek past it to continue
   * @throws dev.runnel.client.errors.CorruptRecordException for a batch that fails its CRC check
   * @throws dev.runnel.client.errors.OffsetOutOfRangeException if a position is outside the stored
   *     range and {@code auto.offset.reset=none}
   * @throws dev.runnel.client.errors.NoOffsetForPartitionException if a partition has no position and
   *     {@code auto.offset.reset=none}
   * @throws dev.runnel.client.errors.WakeupException if {@link #wakeup()} was called
   * @throws IllegalStateException if nothing is subscribed or assigned
   */
  ConsumerRecords<K, V> poll(Duration timeout);

  /** The offset of the next record to return; waits up to {@code default.api.timeout.ms} for it. */
  long position(TopicPartition partition);

  long position(TopicPartition partition, Duration timeout);

  /** The next poll returns records of {@code partition} from {@code offset} on. */
  void seek(TopicPartition partition, long offset);

  /** Moves to the first stored offset, lazily (on the next poll or position). Empty means all. */
  void seekToBeginning(Collection<TopicPartition> partitions);

  /** Moves to the end (only new records are read), lazily. Empty means all assigned partitions. */
  void seekToEnd(Collection<TopicPartition> partitions);

  /**
   * For each partition, the first offset of the first batch whose timestamp is at or after the given
   * time, or null if there is none.
   */
  Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps);

  Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
      Duration timeout);

  /** The first stored offset of each partition. */
  Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

  Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout);

  /** The offset the next record of each partition will get. */
  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout);

  /** The partitions of a topic, from metadata. */
  List<PartitionInfo> partitionsFor(String topic);

  /** Stops returning (and fetching) records of these partitions until {@link #resume}. */
  void pause(Collection<TopicPartition> partitions);

  void resume(Collection<TopicPartition> partitions);

  Set<TopicPartition> paused();

  /**
   * Makes the current or next blocking call ({@code poll}, {@code position}, ...) throw
   * {@link dev.runnel.client.errors.WakeupException}. Safe to call from any thread.
   */
  void wakeup();

  @Override
  void close();

  /** Stops the fetch thread and closes connections, waiting up to {@code timeout}. */
  void close(Duration timeout);
}
