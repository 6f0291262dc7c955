package dev.runnel.client;

import dev.runnel.client.errors.ApiException;
import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.RecordTooLargeException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.SerializationException;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.client.internals.net.TopicWaiter;
import dev.runnel.client.internals.producer.Backoff;
import dev.runnel.client.internals.producer.Idempotence;
import dev.runnel.client.internals.producer.MemoryLimiter;
import dev.runnel.client.internals.producer.ProducerBatch;
import dev.runnel.client.internals.producer.ProducerBatch.Thunk;
import dev.runnel.client.internals.producer.RecordAccumulator;
import dev.runnel.client.internals.producer.RecordAccumulator.AppendResult;
import dev.runnel.client.internals.producer.Sender;
import dev.runnel.client.internals.producer.SenderSettings;
import dev.runnel.client.internals.producer.StickyPartitions;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.serialization.Serializer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Runnel producer: batches records per partition, sends each batch to the partition's leader and
 * retries transient failures, with idempotence on by default so a retry never stores a record twice.
 * See {@link Producer} for the contract and an example, and {@link ProducerConfig} for settings.
 *
 * <p>Threads: {@code send} runs on the caller's thread (serialization, partitioning, appending to a
 * batch); one I/O thread per producer sends batches and completes futures and callbacks.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnelProducer<K, V> implements Producer<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(RunnelProducer.class);
  /** Largest response a producer accepts: produce and metadata answers are small. */
  private static final int MAX_INBOUND_BYTES = 16 << 20;
  /** How long a forced close waits for the I/O thread to finish failing records. */
  private static final Duration FORCED_CLOSE_WAIT = Duration.ofSeconds(10);

  private final ProducerConfig config;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final Partitioner partitioner;
  private final Time time;
  private final ChannelPool channels;
  private final Metadata metadata;
  private final RecordAccumulator accumulator;
  private final Sender sender;
  private final Thread ioThread;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A producer whose serializers come from the config (builder instances or class names). */
  public RunnelProducer(ProducerConfig config) {
    this(config, null, null);
  }

  /** A producer from Kafka-style properties. */
  public RunnelProducer(Properties props) {
    this(new ProducerConfig(props));
  }

  /** A producer with explicit serializers, which take precedence over the config. */
  public RunnelProducer(ProducerConfig config, Serializer<K> keySerializer,
      Serializer<V> valueSerializer) {
    this(config, keySerializer, valueSerializer, Time.SYSTEM, new Random());
  }

  RunnelProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer,
      Time time, Random random) {
    this.config = Objects.requireNonNull(config, "config");
    this.keySerializer = pick(keySerializer, config.keySerializer(), "key.serializer");
    this.valueSerializer = pick(valueSerializer, config.valueSerializer(), "value.serializer");
    this.partitioner = config.partitioner();
    this.time = time;
    this.channels = new ChannelPool(MAX_INBOUND_BYTES, config.clientId());
    this.metadata = new Metadata(config.bootstrapServers(), channels, time, config.metadataMaxAgeMs(),
        config.retryBackoffMs(), config.requestTimeoutMs());
    this.accumulator = new RecordAccumulator(config.batchSize(), config.lingerMs(),
        new MemoryLimiter(config.bufferMemory()), time, new StickyPartitions(random));
    Idempotence idempotence = new Idempotence(config.idempotence(), config.maxInFlight(),
        config.retries() > 0);
    this.sender = new Sender(SenderSettings.of(config), accumulator, metadata, channels, idempotence,
        time, new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs(), random));
    this.metadata.addListener(sender::wakeup);
    String name = "runnel-producer-io" + (config.clientId().isEmpty() ? "" : "-" + config.clientId());
    this.ioThread = new Thread(sender, name);
    this.ioThread.setDaemon(true);
    this.ioThread.start();
  }

  @SuppressWarnings("unchecked")
  private static <T> Serializer<T> pick(Serializer<T> explicit, Serializer<?> configured, String key) {
    if (explicit != null) {
      return explicit;
    }
    if (configured == null) {
      throw new ConfigException("no " + key + ": set it in the config or pass a serializer instance");
    }
    return (Serializer<T>) configured;
  }

  @Override
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    Objects.requireNonNull(record, "record");
    if (closed.get()) {
      throw new IllegalStateException("cannot send after the producer is closed");
    }
    CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
    try {
      long deadline = time.monoMs() + config.maxBlockMs();
      ClusterView view = TopicWaiter.awaitTopic(metadata, time, record.topic(), record.partition(),
          deadline, config.maxBlockMs());
      byte[] key = serialize(keySerializer, record, record.key(), "key");
      byte[] value = serialize(valueSerializer, record, record.value(), "value");
      record.headers().setReadOnly();
      long ts = record.timestamp() != null ? record.timestamp() : time.wallMs();
      RawRecord raw = new RawRecord(ts, key, value, List.copyOf(record.headers().toList()));
      int size = raw.estimatedSize();
      if (size > config.maxRequestSize()) {
        throw new RecordTooLargeException("the record is about " + size + " bytes when serialized,"
            + " larger than max.request.size (" + config.maxRequestSize() + ")");
      }
      Thunk thunk = new Thunk(future, callback, ts);
      long remaining = Math.max(0, deadline - time.monoMs());
      AppendResult r = append(record, view, key, value, raw, thunk, remaining);
      if (r.newBatch() || r.batchFull()) {
        sender.wakeup();
      }
      return future;
    } catch (ApiException e) {
      // Kafka's contract: protocol-level failures go through the future and the callback.
      future.completeExceptionally(e);
      if (callback != null) {
        callback.onCompletion(null, e);
      }
      return future;
    }
  }

  private AppendResult append(ProducerRecord<K, V> record, ClusterView view, byte[] key, byte[] value,
      RawRecord raw, Thunk thunk, long maxBlockMs) {
    String topic = record.topic();
    int partition;
    if (record.partition() != null) {
      partition = record.partition();
    } else {
      int n = view.partitionCount(topic);
      partition = partitioner.partition(topic, record.key(), key, record.value(), value, n);
      if (partition != Partitioner.UNASSIGNED && (partition < 0 || partition >= n)) {
        throw new IllegalStateException(partitioner.getClass().getName() + " chose partition "
            + partition + " for topic '" + topic + "', which has " + n + " partitions");
      }
    }
    if (partition == Partitioner.UNASSIGNED) {
      return accumulator.appendUnassigned(topic, view, raw, thunk, maxBlockMs);
    }
    return accumulator.append(new TopicPartition(topic, partition), raw, thunk, maxBlockMs);
  }

  private <T> byte[] serialize(Serializer<T> s, ProducerRecord<K, V> record, T data, String what) {
    try {
      return s.serialize(record.topic(), record.headers(), data);
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException("could not serialize the " + what + " of a record for topic '"
          + record.topic() + "' with " + s.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() {
    accumulator.beginFlush();
    sender.wakeup();
    try {
      for (ProducerBatch b : accumulator.incomplete()) {
        b.completion().get();
      }
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted during flush", e);
    } catch (ExecutionException e) {
      throw new RunnelException("flush failed", e.getCause());
    } finally {
      accumulator.endFlush();
    }
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    Objects.requireNonNull(topic, "topic");
    ClusterView view = TopicWaiter.awaitTopic(metadata, time, topic, null,
        time.monoMs() + config.maxBlockMs(), config.maxBlockMs());
    return TopicWaiter.partitions(view, topic);
  }

  @Override
  public void close() {
    close(Duration.ofMillis(Long.MAX_VALUE));
  }

  @Override
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean fromIoThread = Thread.currentThread() == ioThread;
    if (fromIoThread || timeout.isZero() || timeout.isNegative()) {
      if (fromIoThread) {
        LOG.warn("close() called from a send callback: closing without waiting for pending records");
      }
      sender.forceClose();
    } else {
      sender.initiateClose();
    }
    if (!fromIoThread) {
      join(timeout);
      if (ioThread.isAlive()) {
        sender.forceClose();
        join(FORCED_CLOSE_WAIT);
      }
    }
    channels.close(Duration.ofSeconds(1));
    keySerializer.close();
    valueSerializer.close();
  }

  private void join(Duration timeout) {
    try {
      ioThread.join(Math.max(1, Math.min(timeout.toMillis(), Long.MAX_VALUE / 2)));
    } catch (InterruptedException e) {
      sender.forceClose();
      throw new InterruptException("interrupted while closing the producer", e);
    }
  }
}
