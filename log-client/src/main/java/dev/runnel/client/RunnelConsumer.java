package dev.runnel.client;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.NoOffsetForPartitionException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.WakeupException;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.consumer.FetchBuffer;
import dev.runnel.client.internals.consumer.FetchSettings;
import dev.runnel.client.internals.consumer.Fetcher;
import dev.runnel.client.internals.consumer.OffsetLookup;
import dev.runnel.client.internals.consumer.OffsetQueries;
import dev.runnel.client.internals.consumer.OffsetReset;
import dev.runnel.client.internals.consumer.RecordCollector;
import dev.runnel.client.internals.consumer.SubscriptionState;
import dev.runnel.client.internals.consumer.ThreadGuard;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.client.serialization.Deserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The Runnel consumer. A background thread keeps metadata current, looks up starting positions and
 * prefetches from each partition's leader (long-poll {@code Fetch}, bounded by
 * {@code fetch.max.bytes}); {@link #poll} decodes, verifies and deserializes on the caller's thread.
 * See {@link Consumer} for the contract, an example and the current lack of consumer groups.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnelConsumer<K, V> implements Consumer<K, V> {
  /** Room above fetch.max.bytes for one oversized batch and the response framing. */
  private static final int INBOUND_MARGIN_BYTES = 16 << 20;

  private final ConsumerConfig config;
  private final Deserializer<K> keyDeserializer;
  private final Deserializer<V> valueDeserializer;
  private final Time time;
  private final ChannelPool channels;
  private final Metadata metadata;
  private final SubscriptionState subscriptions;
  private final FetchBuffer buffer = new FetchBuffer();
  private final OffsetLookup offsets;
  private final Fetcher fetcher;
  private final Thread fetchThread;
  private final RecordCollector<K, V> collector;
  private final Set<String> extraTopics = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean wakeupRequested = new AtomicBoolean();
  private final ThreadGuard guard = new ThreadGuard();
  private final OffsetQueries queries;
  private volatile boolean closed;

  public RunnelConsumer(ConsumerConfig config) {
    this(config, null, null);
  }

  public RunnelConsumer(Properties props) {
    this(new ConsumerConfig(props));
  }

  /** A consumer with explicit deserializers, which take precedence over the config. */
  public RunnelConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer) {
    this(config, keyDeserializer, valueDeserializer, Time.SYSTEM);
  }

  RunnelConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer, Time time) {
    this.config = Objects.requireNonNull(config, "config");
    this.keyDeserializer = pick(keyDeserializer, config.keyDeserializer(), "key.deserializer");
    this.valueDeserializer = pick(valueDeserializer, config.valueDeserializer(), "value.deserializer");
    this.time = time;
    int inbound = (int) Math.min(Integer.MAX_VALUE, (long) config.fetchMaxBytes() + INBOUND_MARGIN_BYTES);
    this.channels = new ChannelPool(inbound, config.clientId());
    this.metadata = new Metadata(config.bootstrapServers(), channels, time, config.metadataMaxAgeMs(),
        config.retryBackoffMs(), config.requestTimeoutMs());
    this.subscriptions = new SubscriptionState(OffsetReset.parse(config.autoOffsetReset()));
    this.offsets = new OffsetLookup(metadata, channels, config.requestTimeoutMs(),
        config.retryBackoffMs(), time);
    this.queries = new OffsetQueries(metadata, offsets, extraTopics, time);
    FetchSettings settings = new FetchSettings(config.fetchMinBytes(), config.fetchMaxBytes(),
        config.fetchMaxWaitMs(), config.maxPartitionFetchBytes(), config.requestTimeoutMs(),
        config.retryBackoffMs(), config.checkCrcs());
    this.fetcher = new Fetcher(settings, subscriptions, metadata, channels, buffer, offsets, time,
        extraTopics);
    this.collector = new RecordCollector<>(subscriptions, buffer, this.keyDeserializer,
        this.valueDeserializer, config.maxPollRecords());
    metadata.addListener(fetcher::wakeup);
    this.fetchThread = new Thread(fetcher,
        "runnel-consumer-fetch" + (config.clientId().isEmpty() ? "" : "-" + config.clientId()));
    this.fetchThread.setDaemon(true);
    this.fetchThread.start();
  }

  @SuppressWarnings("unchecked")
  private static <T> Deserializer<T> pick(Deserializer<T> explicit, Deserializer<?> configured,
      String key) {
    if (explicit != null) {
      return explicit;
    }
    if (configured == null) {
      throw new ConfigException("no " + key + ": set it in the config or pass a deserializer instance");
    }
    return (Deserializer<T>) configured;
  }

  @Override
  public void subscribe(Collection<String> topics) {
    Objects.requireNonNull(topics, "topics");
    for (String t : topics) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("topic names must not be null or blank: " + topics);
      }
    }
    changeAssignment(() -> {
      if (topics.isEmpty()) {
        subscriptions.unsubscribe();
      } else {
        subscriptions.subscribe(topics);
      }
    });
  }

  @Override
  public void subscribe(Pattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    changeAssignment(() -> subscriptions.subscribe(pattern));
  }

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    Objects.requireNonNull(partitions, "partitions");
    changeAssignment(() -> {
      if (partitions.isEmpty()) {
        subscriptions.unsubscribe();
      } else {
        subscriptions.assign(partitions);
      }
    });
  }

  @Override
  public void unsubscribe() {
    changeAssignment(subscriptions::unsubscribe);
  }

  private void changeAssignment(Runnable change) {
    acquire();
    try {
      change.run();
      Set<TopicPartition> kept = subscriptions.assignment();
      buffer.removeIf(f -> !kept.contains(f.topicPartition()));
      metadata.requestUpdate();
      fetcher.wakeup();
    } finally {
      release();
    }
  }

  @Override
  public Set<TopicPartition> assignment() {
    return subscriptions.assignment();
  }

  @Override
  public Set<String> subscription() {
    return subscriptions.subscription();
  }

  @Override
  public ConsumerRecords<K, V> poll(Duration timeout) {
    acquire();
    try {
      if (subscriptions.mode() == SubscriptionState.Mode.NONE) {
        throw new IllegalStateException("the consumer is not subscribed to any topic nor assigned any"
            + " partition");
      }
      long deadline = deadline(timeout);
      fetcher.wakeup();
      while (true) {
        throwPendingErrors();
        ConsumerRecords<K, V> records = collector.collect();
        if (!records.isEmpty()) {
          // Positions moved: let the fetch thread ask for what comes next while the caller works.
          fetcher.wakeup();
          return records;
        }
        long left = deadline - time.monoMs();
        if (left <= 0) {
          return ConsumerRecords.empty();
        }
        buffer.await(left);
      }
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted during poll", e);
    } finally {
      release();
    }
  }

  private void throwPendingErrors() {
    if (wakeupRequested.getAndSet(false)) {
      throw new WakeupException();
    }
    RunnelException error = subscriptions.firstError();
    if (error != null) {
      throw error;
    }
    List<TopicPartition> missing = subscriptions.missingPositions();
    if (!missing.isEmpty()) {
      throw new NoOffsetForPartitionException("no position for " + missing + " and auto.offset.reset"
          + " is none: call seek, seekToBeginning or seekToEnd first");
    }
  }

  private long deadline(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    long ms = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : timeout.toMillis();
    return time.monoMs() + ms;
  }

  @Override
  public long position(TopicPartition partition) {
    return position(partition, Duration.ofMillis(config.defaultApiTimeoutMs()));
  }

  @Override
  public long position(TopicPartition partition, Duration timeout) {
    acquire();
    try {
      long deadline = deadline(timeout);
      fetcher.wakeup();
      while (true) {
        if (wakeupRequested.getAndSet(false)) {
          throw new WakeupException();
        }
        Long p = subscriptions.position(partition);
        if (p != null) {
          return p;
        }
        if (subscriptions.missingPositions().contains(partition)) {
          throw new NoOffsetForPartitionException("no position for " + partition
              + " and auto.offset.reset is none: call seek first");
        }
        long left = deadline - time.monoMs();
        if (left <= 0) {
          throw new TimeoutException("the position of " + partition + " could not be looked up within "
              + timeout.toMillis() + " ms; is its leader reachable?");
        }
        buffer.await(Math.min(left, 100));
      }
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted while looking up a position", e);
    } finally {
      release();
    }
  }

  @Override
  public void seek(TopicPartition partition, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset + " for " + partition);
    }
    acquire();
    try {
      subscriptions.seek(partition, offset);
      fetcher.wakeup();
    } finally {
      release();
    }
  }

  @Override
  public void seekToBeginning(Collection<TopicPartition> partitions) {
    reset(partitions, OffsetReset.EARLIEST);
  }

  @Override
  public void seekToEnd(Collection<TopicPartition> partitions) {
    reset(partitions, OffsetReset.LATEST);
  }

  private void reset(Collection<TopicPartition> partitions, OffsetReset strategy) {
    acquire();
    try {
      Collection<TopicPartition> targets = partitions.isEmpty() ? subscriptions.assignment() : partitions;
      for (TopicPartition tp : targets) {
        subscriptions.requestReset(tp, strategy);
      }
      Set<TopicPartition> reset = new HashSet<>(targets);
      buffer.removeIf(f -> reset.contains(f.topicPartition()));
      fetcher.wakeup();
    } finally {
      release();
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
    return offsetsForTimes(timestamps, Duration.ofMillis(config.defaultApiTimeoutMs()));
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
      Duration timeout) {
    ensureOpen();
    return queries.offsetsForTimes(timestamps, timeout.toMillis());
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    return beginningOffsets(partitions, Duration.ofMillis(config.defaultApiTimeoutMs()));
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions,
      Duration timeout) {
    ensureOpen();
    return queries.listOffsets(partitions, OffsetReset.EARLIEST.timestampSpec(), timeout.toMillis());
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return endOffsets(partitions, Duration.ofMillis(config.defaultApiTimeoutMs()));
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
    ensureOpen();
    return queries.listOffsets(partitions, OffsetReset.LATEST.timestampSpec(), timeout.toMillis());
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    ensureOpen();
    return queries.partitionsFor(Objects.requireNonNull(topic, "topic"), config.defaultApiTimeoutMs());
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    acquire();
    try {
      subscriptions.pause(partitions);
      Set<TopicPartition> paused = new HashSet<>(partitions);
      buffer.removeIf(f -> paused.contains(f.topicPartition()));
    } finally {
      release();
    }
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    acquire();
    try {
      subscriptions.resume(partitions);
      fetcher.wakeup();
    } finally {
      release();
    }
  }

  @Override
  public Set<TopicPartition> paused() {
    return subscriptions.paused();
  }

  @Override
  public void wakeup() {
    wakeupRequested.set(true);
    buffer.wakeup();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  @Override
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    acquire();
    try {
      closed = true;
      fetcher.close();
      fetchThread.join(Math.max(1, Math.min(timeout.toMillis(), Long.MAX_VALUE / 4)));
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted while closing the consumer", e);
    } finally {
      channels.close(Duration.ofSeconds(1));
      keyDeserializer.close();
      valueDeserializer.close();
      release();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the consumer is closed");
    }
  }

  private void acquire() {
    ensureOpen();
    guard.acquire();
  }

  private void release() {
    guard.release();
  }
}
