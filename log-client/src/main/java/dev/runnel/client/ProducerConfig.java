package dev.runnel.client;

import static dev.runnel.client.internals.config.ConfigDef.atLeast;
import static dev.runnel.client.internals.config.ConfigDef.between;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.internals.config.CommonKeys;
import dev.runnel.client.internals.config.ConfigDef;
import dev.runnel.client.internals.config.ConfigDef.Type;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.config.ParsedConfig;
import dev.runnel.client.serialization.Serializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Producer settings, from Kafka-style {@link Properties} or the {@link #builder()}. Every key is
 * declared once below with its type, default, validator and doc; unknown keys and invalid values are
 * rejected with a {@link ConfigException} naming the key.
 *
 * <pre>{@code
 * ProducerConfig config = ProducerConfig.builder()
 *     .bootstrapServers("broker-0:9292,broker-1:9292")
 *     .acks(Acks.ALL)
 *     .compression(CompressionType.LZ4)
 *     .keySerializer(new StringSerializer())
 *     .valueSerializer(new StringSerializer())
 *     .build();
 * }</pre>
 *
 * <p>Defaults are safe: {@code acks=majority} (a Raft commit: the write survives the loss of a
 * minority of replicas) and {@code enable.idempotence=true} (retries never store a batch twice).
 */
public final class ProducerConfig {
  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonKeys.BOOTSTRAP_SERVERS;
  public static final String CLIENT_ID_CONFIG = CommonKeys.CLIENT_ID;
  public static final String ACKS_CONFIG = "acks";
  public static final String ACKS_DOC = "How many replicas must hold a write before it is acknowledged:"
      + " majority (default; a Raft commit, also accepted as 1), all (every replica; also -1) or none"
      + " (fire and forget, no offsets; also 0). There is no leader-only level.";
  public static final String LINGER_MS_CONFIG = "linger.ms";
  public static final String LINGER_MS_DOC = "How long a batch waits for more records before it is"
      + " sent, unless it fills up first.";
  public static final String BATCH_SIZE_CONFIG = "batch.size";
  public static final String BATCH_SIZE_DOC = "Target size of one partition's batch in bytes (before"
      + " compression). A record larger than this is sent in a batch of its own.";
  public static final String BUFFER_MEMORY_CONFIG = "buffer.memory";
  public static final String BUFFER_MEMORY_DOC = "Bytes of records the producer may hold before they"
      + " are acknowledged. When full, send blocks up to max.block.ms and then fails.";
  public static final String MAX_REQUEST_SIZE_CONFIG = "max.request.size";
  public static final String MAX_REQUEST_SIZE_DOC = "Largest record, and the size at which the"
      + " producer stops adding batches to one produce request, in bytes.";
  public static final String MAX_IN_FLIGHT_CONFIG = "max.in.flight.requests.per.connection";
  public static final String MAX_IN_FLIGHT_DOC = "Produce requests sent to one broker and not yet"
      + " answered. With idempotence at most 5 (the batches a broker remembers per producer).";
  public static final String COMPRESSION_TYPE_CONFIG = "compression.type";
  public static final String COMPRESSION_TYPE_DOC = "Batch codec: none, lz4 or zstd.";
  public static final String DELIVERY_TIMEOUT_MS_CONFIG = "delivery.timeout.ms";
  public static final String DELIVERY_TIMEOUT_MS_DOC = "Upper bound on the time from send until"
      + " success or failure is reported, retries included. Must be at least linger.ms +"
      + " request.timeout.ms.";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonKeys.REQUEST_TIMEOUT_MS;
  public static final String RETRIES_CONFIG = "retries";
  public static final String RETRIES_DOC = "How often a batch is retried after a retriable error;"
      + " delivery.timeout.ms bounds the retries in time, so the default is effectively unlimited.";
  public static final String RETRY_BACKOFF_MS_CONFIG = CommonKeys.RETRY_BACKOFF_MS;
  public static final String RETRY_BACKOFF_MAX_MS_CONFIG = CommonKeys.RETRY_BACKOFF_MAX_MS;
  public static final String MAX_BLOCK_MS_CONFIG = "max.block.ms";
  public static final String MAX_BLOCK_MS_DOC = "How long send and partitionsFor may block waiting for"
      + " metadata or buffer space.";
  public static final String ENABLE_IDEMPOTENCE_CONFIG = "enable.idempotence";
  public static final String ENABLE_IDEMPOTENCE_DOC = "Number each partition's batches so the broker"
      + " stores a retried batch once. Needs acks majority or all and retries > 0.";
  public static final String PARTITIONER_CLASS_CONFIG = "partitioner.class";
  public static final String PARTITIONER_CLASS_DOC = "Partitioner for records without an explicit"
      + " partition (a dev.runnel.client.Partitioner with a no-argument constructor).";
  public static final String KEY_SERIALIZER_CLASS_CONFIG = "key.serializer";
  public static final String VALUE_SERIALIZER_CLASS_CONFIG = "value.serializer";
  public static final String METADATA_MAX_AGE_MS_CONFIG = CommonKeys.METADATA_MAX_AGE_MS;

  /** Most batches the broker remembers per producer and partition for deduplication. */
  public static final int MAX_IN_FLIGHT_WITH_IDEMPOTENCE = 5;

  private static final ConfigDef CONFIG = CommonKeys.defineCommon(new ConfigDef())
      .define(ACKS_CONFIG, Type.STRING, "majority", (k, v) -> parseAcks(v.toString()), ACKS_DOC)
      .define(LINGER_MS_CONFIG, Type.LONG, 5L, between(0, 3_600_000), LINGER_MS_DOC)
      .define(BATCH_SIZE_CONFIG, Type.INT, 128 * 1024, between(1, 64 << 20), BATCH_SIZE_DOC)
      .define(BUFFER_MEMORY_CONFIG, Type.LONG, 32L << 20, atLeast(1024), BUFFER_MEMORY_DOC)
      .define(MAX_REQUEST_SIZE_CONFIG, Type.INT, 1 << 20, between(1, 256 << 20), MAX_REQUEST_SIZE_DOC)
      .define(MAX_IN_FLIGHT_CONFIG, Type.INT, 5, between(1, 100), MAX_IN_FLIGHT_DOC)
      .define(COMPRESSION_TYPE_CONFIG, Type.STRING, "none", ConfigDef.oneOf("none", "lz4", "zstd"),
          COMPRESSION_TYPE_DOC)
      .define(DELIVERY_TIMEOUT_MS_CONFIG, Type.INT, 120_000, atLeast(1), DELIVERY_TIMEOUT_MS_DOC)
      .define(RETRIES_CONFIG, Type.INT, Integer.MAX_VALUE, atLeast(0), RETRIES_DOC)
      .define(MAX_BLOCK_MS_CONFIG, Type.LONG, 60_000L, atLeast(0), MAX_BLOCK_MS_DOC)
      .define(ENABLE_IDEMPOTENCE_CONFIG, Type.BOOLEAN, true, ENABLE_IDEMPOTENCE_DOC)
      .define(PARTITIONER_CLASS_CONFIG, Type.CLASS, DefaultPartitioner.class,
          ConfigDef.instanceOf(Partitioner.class), PARTITIONER_CLASS_DOC)
      .define(KEY_SERIALIZER_CLASS_CONFIG, Type.CLASS, null, ConfigDef.instanceOf(Serializer.class),
          "Serializer class for keys, unless an instance is passed to the builder or constructor.")
      .define(VALUE_SERIALIZER_CLASS_CONFIG, Type.CLASS, null, ConfigDef.instanceOf(Serializer.class),
          "Serializer class for values, unless an instance is passed to the builder or constructor.");

  private final ParsedConfig values;
  private final boolean idempotence;
  private final Serializer<?> keySerializer;
  private final Serializer<?> valueSerializer;
  private final Partitioner partitioner;

  /** Parses Kafka-style properties ({@code bootstrap.servers}, {@code acks}, ...). */
  public ProducerConfig(Properties props) {
    this(new HashMap<>(props), null, null, null);
  }

  /** Parses a map of keys to strings or typed values. */
  public ProducerConfig(Map<String, ?> props) {
    this(props, null, null, null);
  }

  private ProducerConfig(Map<?, ?> props, Serializer<?> keySerializer, Serializer<?> valueSerializer,
      Partitioner partitioner) {
    this.values = new ParsedConfig(CONFIG, props);
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
    this.partitioner = partitioner;
    long minDelivery = lingerMs() + requestTimeoutMs();
    if (deliveryTimeoutMs() < minDelivery) {
      throw new ConfigException("'" + DELIVERY_TIMEOUT_MS_CONFIG + "' (" + deliveryTimeoutMs()
          + ") must be at least linger.ms + request.timeout.ms (" + minDelivery + ")");
    }
    this.idempotence = resolveIdempotence();
  }

  /** Kafka's rule: explicit idempotence conflicts are errors; the default quietly yields. */
  private boolean resolveIdempotence() {
    boolean wanted = values.getBoolean(ENABLE_IDEMPOTENCE_CONFIG);
    if (!wanted) {
      return false;
    }
    String conflict = null;
    if (acks() == Acks.NONE) {
      conflict = "acks=none (the broker reports no result, so a retry cannot be confirmed)";
    } else if (retries() == 0) {
      conflict = "retries=0";
    } else if (maxInFlight() > MAX_IN_FLIGHT_WITH_IDEMPOTENCE) {
      conflict = MAX_IN_FLIGHT_CONFIG + "=" + maxInFlight() + " (at most "
          + MAX_IN_FLIGHT_WITH_IDEMPOTENCE + ")";
    }
    if (conflict == null) {
      return true;
    }
    if (values.isExplicit(ENABLE_IDEMPOTENCE_CONFIG)) {
      throw new ConfigException("enable.idempotence=true cannot be combined with " + conflict);
    }
    return false;
  }

  private static Acks parseAcks(String s) {
    try {
      return Acks.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid value for '" + ACKS_CONFIG + "': " + e.getMessage());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The documentation of every key, as a Markdown table. */
  public static String describe() {
    return CONFIG.toMarkdownTable();
  }

  public List<HostPort> bootstrapServers() {
    return CommonKeys.bootstrap(values);
  }

  public String clientId() {
    return values.getString(CLIENT_ID_CONFIG);
  }

  public Acks acks() {
    return parseAcks(values.getString(ACKS_CONFIG));
  }

  public long lingerMs() {
    return values.getLong(LINGER_MS_CONFIG);
  }

  public int batchSize() {
    return values.getInt(BATCH_SIZE_CONFIG);
  }

  public long bufferMemory() {
    return values.getLong(BUFFER_MEMORY_CONFIG);
  }

  public int maxRequestSize() {
    return values.getInt(MAX_REQUEST_SIZE_CONFIG);
  }

  public int maxInFlight() {
    return values.getInt(MAX_IN_FLIGHT_CONFIG);
  }

  public CompressionType compression() {
    return CompressionType.parse(values.getString(COMPRESSION_TYPE_CONFIG));
  }

  public int deliveryTimeoutMs() {
    return values.getInt(DELIVERY_TIMEOUT_MS_CONFIG);
  }

  public int requestTimeoutMs() {
    return values.getInt(REQUEST_TIMEOUT_MS_CONFIG);
  }

  public int retries() {
    return values.getInt(RETRIES_CONFIG);
  }

  public long retryBackoffMs() {
    return values.getLong(RETRY_BACKOFF_MS_CONFIG);
  }

  public long retryBackoffMaxMs() {
    return values.getLong(RETRY_BACKOFF_MAX_MS_CONFIG);
  }

  public long maxBlockMs() {
    return values.getLong(MAX_BLOCK_MS_CONFIG);
  }

  public long metadataMaxAgeMs() {
    return values.getLong(METADATA_MAX_AGE_MS_CONFIG);
  }

  /** Whether idempotence is in effect (the setting, after resolving conflicts with other keys). */
  public boolean idempotence() {
    return idempotence;
  }

  /** The partitioner instance from the builder, or a new instance of {@code partitioner.class}. */
  public Partitioner partitioner() {
    return partitioner != null ? partitioner : CommonKeys.newInstance(PARTITIONER_CLASS_CONFIG,
        values.getClass(PARTITIONER_CLASS_CONFIG), Partitioner.class);
  }

  /** The key serializer from the builder or {@code key.serializer}; null if neither is set. */
  public Serializer<?> keySerializer() {
    return serializer(keySerializer, KEY_SERIALIZER_CLASS_CONFIG);
  }

  /** The value serializer from the builder or {@code value.serializer}; null if neither is set. */
  public Serializer<?> valueSerializer() {
    return serializer(valueSerializer, VALUE_SERIALIZER_CLASS_CONFIG);
  }

  private Serializer<?> serializer(Serializer<?> instance, String key) {
    if (instance != null) {
      return instance;
    }
    Class<?> c = values.getClass(key);
    return c == null ? null : CommonKeys.newInstance(key, c, Serializer.class);
  }

  /** Every parsed value, by key. */
  public Map<String, Object> values() {
    return values.values();
  }

  /** Typed builder; {@link #build()} validates with the same rules as the Properties form. */
  public static final class Builder {
    private final Map<String, Object> props = new HashMap<>();
    private Serializer<?> keySerializer;
    private Serializer<?> valueSerializer;
    private Partitioner partitioner;

    private Builder() {}

    /** Sets any key by name, as in Properties. */
    public Builder set(String key, Object value) {
      props.put(key, value);
      return this;
    }

    public Builder bootstrapServers(String hostPorts) {
      return set(BOOTSTRAP_SERVERS_CONFIG, hostPorts);
    }

    public Builder clientId(String clientId) {
      return set(CLIENT_ID_CONFIG, clientId);
    }

    public Builder acks(Acks acks) {
      return set(ACKS_CONFIG, acks.name());
    }

    public Builder linger(Duration linger) {
      return set(LINGER_MS_CONFIG, linger.toMillis());
    }

    public Builder batchSize(int bytes) {
      return set(BATCH_SIZE_CONFIG, bytes);
    }

    public Builder bufferMemory(long bytes) {
      return set(BUFFER_MEMORY_CONFIG, bytes);
    }

    public Builder maxRequestSize(int bytes) {
      return set(MAX_REQUEST_SIZE_CONFIG, bytes);
    }

    public Builder maxInFlight(int requests) {
      return set(MAX_IN_FLIGHT_CONFIG, requests);
    }

    public Builder compression(CompressionType type) {
      return set(COMPRESSION_TYPE_CONFIG, type.name());
    }

    public Builder deliveryTimeout(Duration timeout) {
      return set(DELIVERY_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public Builder requestTimeout(Duration timeout) {
      return set(REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public Builder retries(int retries) {
      return set(RETRIES_CONFIG, retries);
    }

    public Builder retryBackoff(Duration backoff) {
      return set(RETRY_BACKOFF_MS_CONFIG, backoff.toMillis());
    }

    public Builder maxBlock(Duration maxBlock) {
      return set(MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
    }

    public Builder enableIdempotence(boolean enable) {
      return set(ENABLE_IDEMPOTENCE_CONFIG, enable);
    }

    public Builder metadataMaxAge(Duration maxAge) {
      return set(METADATA_MAX_AGE_MS_CONFIG, maxAge.toMillis());
    }

    public Builder partitioner(Partitioner partitioner) {
      this.partitioner = partitioner;
      return this;
    }

    public Builder keySerializer(Serializer<?> serializer) {
      this.keySerializer = serializer;
      return this;
    }

    public Builder valueSerializer(Serializer<?> serializer) {
      this.valueSerializer = serializer;
      return this;
    }

    /** @throws ConfigException naming the first unknown, missing or invalid key */
    public ProducerConfig build() {
      return new ProducerConfig(props, keySerializer, valueSerializer, partitioner);
    }
  }
}
