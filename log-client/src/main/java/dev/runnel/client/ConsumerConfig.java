package dev.runnel.client;

import static dev.runnel.client.internals.config.ConfigDef.atLeast;
import static dev.runnel.client.internals.config.ConfigDef.between;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.internals.config.CommonKeys;
import dev.runnel.client.internals.config.ConfigDef;
import dev.runnel.client.internals.config.ConfigDef.Type;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.config.ParsedConfig;
import dev.runnel.client.serialization.Deserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Consumer settings, from Kafka-style {@link Properties} or the {@link #builder()}. Every key is
 * declared once below with its type, default, validator and doc; unknown keys and invalid values are
 * rejected with a {@link ConfigException} naming the key.
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder()
 *     .bootstrapServers("localhost:9292")
 *     .autoOffsetReset("earliest")
 *     .keyDeserializer(new StringDeserializer())
 *     .valueDeserializer(new JsonDeserializer<>(Order.class))
 *     .build();
 * }</pre>
 */
public final class ConsumerConfig {
  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonKeys.BOOTSTRAP_SERVERS;
  public static final String CLIENT_ID_CONFIG = CommonKeys.CLIENT_ID;
  public static final String FETCH_MIN_BYTES_CONFIG = "fetch.min.bytes";
  public static final String FETCH_MIN_BYTES_DOC = "A fetch waits (up to fetch.max.wait.ms) until this"
      + " many bytes are available across its partitions.";
  public static final String FETCH_MAX_BYTES_CONFIG = "fetch.max.bytes";
  public static final String FETCH_MAX_BYTES_DOC = "Most batch bytes one fetch response may carry, and"
      + " the prefetch bound: no new fetch is sent while this much is buffered. A single batch larger"
      + " than this is still returned so the consumer can make progress.";
  public static final String FETCH_MAX_WAIT_MS_CONFIG = "fetch.max.wait.ms";
  public static final String FETCH_MAX_WAIT_MS_DOC = "Longest time a broker holds a fetch waiting for"
      + " fetch.min.bytes.";
  public static final String MAX_PARTITION_FETCH_BYTES_CONFIG = "max.partition.fetch.bytes";
  public static final String MAX_PARTITION_FETCH_BYTES_DOC = "Most batch bytes per partition in one"
      + " fetch response (at least one batch is always returned).";
  public static final String MAX_POLL_RECORDS_CONFIG = "max.poll.records";
  public static final String MAX_POLL_RECORDS_DOC = "Most records one poll returns.";
  public static final String AUTO_OFFSET_RESET_CONFIG = "auto.offset.reset";
  public static final String AUTO_OFFSET_RESET_DOC = "Where to start a partition that has no position,"
      + " and what to do when the position is out of range: earliest, latest, or none (throw"
      + " NoOffsetForPartitionException / OffsetOutOfRangeException).";
  public static final String KEY_DESERIALIZER_CLASS_CONFIG = "key.deserializer";
  public static final String VALUE_DESERIALIZER_CLASS_CONFIG = "value.deserializer";
  public static final String CHECK_CRCS_CONFIG = "check.crcs";
  public static final String CHECK_CRCS_DOC = "Verify each fetched batch's CRC-32C.";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonKeys.REQUEST_TIMEOUT_MS;
  public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = "default.api.timeout.ms";
  public static final String DEFAULT_API_TIMEOUT_MS_DOC = "Timeout of blocking consumer calls that take"
      + " no explicit timeout (position, beginningOffsets, endOffsets, offsetsForTimes).";
  public static final String RETRY_BACKOFF_MS_CONFIG = CommonKeys.RETRY_BACKOFF_MS;
  public static final String METADATA_MAX_AGE_MS_CONFIG = CommonKeys.METADATA_MAX_AGE_MS;

  private static final ConfigDef CONFIG = CommonKeys.defineCommon(new ConfigDef())
      .define(FETCH_MIN_BYTES_CONFIG, Type.INT, 1, atLeast(0), FETCH_MIN_BYTES_DOC)
      .define(FETCH_MAX_BYTES_CONFIG, Type.INT, 50 << 20, between(1024, 1 << 30), FETCH_MAX_BYTES_DOC)
      .define(FETCH_MAX_WAIT_MS_CONFIG, Type.INT, 500, between(0, 60_000), FETCH_MAX_WAIT_MS_DOC)
      .define(MAX_PARTITION_FETCH_BYTES_CONFIG, Type.INT, 1 << 20, atLeast(1),
          MAX_PARTITION_FETCH_BYTES_DOC)
      .define(MAX_POLL_RECORDS_CONFIG, Type.INT, 500, between(1, 1_000_000), MAX_POLL_RECORDS_DOC)
      .define(AUTO_OFFSET_RESET_CONFIG, Type.STRING, "latest",
          ConfigDef.oneOf("earliest", "latest", "none"), AUTO_OFFSET_RESET_DOC)
      .define(CHECK_CRCS_CONFIG, Type.BOOLEAN, true, CHECK_CRCS_DOC)
      .define(DEFAULT_API_TIMEOUT_MS_CONFIG, Type.INT, 60_000, atLeast(0), DEFAULT_API_TIMEOUT_MS_DOC)
      .define(KEY_DESERIALIZER_CLASS_CONFIG, Type.CLASS, null,
          ConfigDef.instanceOf(Deserializer.class),
          "Deserializer class for keys, unless an instance is passed to the builder or constructor.")
      .define(VALUE_DESERIALIZER_CLASS_CONFIG, Type.CLASS, null,
          ConfigDef.instanceOf(Deserializer.class),
          "Deserializer class for values, unless an instance is passed to the builder or constructor.");

  private final ParsedConfig values;
  private final Deserializer<?> keyDeserializer;
  private final Deserializer<?> valueDeserializer;

  public ConsumerConfig(Properties props) {
    this(new HashMap<>(props), null, null);
  }

  public ConsumerConfig(Map<String, ?> props) {
    this(props, null, null);
  }

  private ConsumerConfig(Map<?, ?> props, Deserializer<?> keyDeserializer,
      Deserializer<?> valueDeserializer) {
    this.values = new ParsedConfig(CONFIG, props);
    this.keyDeserializer = keyDeserializer;
    this.valueDeserializer = valueDeserializer;
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

  public int fetchMinBytes() {
    return values.getInt(FETCH_MIN_BYTES_CONFIG);
  }

  public int fetchMaxBytes() {
    return values.getInt(FETCH_MAX_BYTES_CONFIG);
  }

  public int fetchMaxWaitMs() {
    return values.getInt(FETCH_MAX_WAIT_MS_CONFIG);
  }

  public int maxPartitionFetchBytes() {
    return values.getInt(MAX_PARTITION_FETCH_BYTES_CONFIG);
  }

  public int maxPollRecords() {
    return values.getInt(MAX_POLL_RECORDS_CONFIG);
  }

  /** {@code earliest}, {@code latest} or {@code none}, lower case. */
  public String autoOffsetReset() {
    return values.getString(AUTO_OFFSET_RESET_CONFIG).toLowerCase(Locale.ROOT);
  }

  public boolean checkCrcs() {
    return values.getBoolean(CHECK_CRCS_CONFIG);
  }

  public int requestTimeoutMs() {
    return values.getInt(REQUEST_TIMEOUT_MS_CONFIG);
  }

  public int defaultApiTimeoutMs() {
    return values.getInt(DEFAULT_API_TIMEOUT_MS_CONFIG);
  }

  public long retryBackoffMs() {
    return values.getLong(RETRY_BACKOFF_MS_CONFIG);
  }

  public long metadataMaxAgeMs() {
    return values.getLong(METADATA_MAX_AGE_MS_CONFIG);
  }

  /** The key deserializer from the builder or {@code key.deserializer}; null if neither is set. */
  public Deserializer<?> keyDeserializer() {
    return deserializer(keyDeserializer, KEY_DESERIALIZER_CLASS_CONFIG);
  }

  /** The value deserializer from the builder or {@code value.deserializer}; null if neither is set. */
  public Deserializer<?> valueDeserializer() {
    return deserializer(valueDeserializer, VALUE_DESERIALIZER_CLASS_CONFIG);
  }

  private Deserializer<?> deserializer(Deserializer<?> instance, String key) {
    if (instance != null) {
      return instance;
    }
    Class<?> c = values.getClass(key);
    return c == null ? null : CommonKeys.newInstance(key, c, Deserializer.class);
  }

  public Map<String, Object> values() {
    return values.values();
  }

  /** Typed builder; {@link #build()} validates with the same rules as the Properties form. */
  public static final class Builder {
    private final Map<String, Object> props = new HashMap<>();
    private Deserializer<?> keyDeserializer;
    private Deserializer<?> valueDeserializer;

    private Builder() {}

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

    public Builder fetchMinBytes(int bytes) {
      return set(FETCH_MIN_BYTES_CONFIG, bytes);
    }

    public Builder fetchMaxBytes(int bytes) {
      return set(FETCH_MAX_BYTES_CONFIG, bytes);
    }

    public Builder fetchMaxWait(Duration wait) {
      return set(FETCH_MAX_WAIT_MS_CONFIG, Math.toIntExact(wait.toMillis()));
    }

    public Builder maxPartitionFetchBytes(int bytes) {
      return set(MAX_PARTITION_FETCH_BYTES_CONFIG, bytes);
    }

    public Builder maxPollRecords(int records) {
      return set(MAX_POLL_RECORDS_CONFIG, records);
    }

    /** {@code earliest}, {@code latest} or {@code none}. */
    public Builder autoOffsetReset(String reset) {
      return set(AUTO_OFFSET_RESET_CONFIG, reset);
    }

    public Builder checkCrcs(boolean check) {
      return set(CHECK_CRCS_CONFIG, check);
    }

    public Builder requestTimeout(Duration timeout) {
      return set(REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public Builder defaultApiTimeout(Duration timeout) {
      return set(DEFAULT_API_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public Builder metadataMaxAge(Duration maxAge) {
      return set(METADATA_MAX_AGE_MS_CONFIG, maxAge.toMillis());
    }

    public Builder keyDeserializer(Deserializer<?> deserializer) {
      this.keyDeserializer = deserializer;
      return this;
    }

    public Builder valueDeserializer(Deserializer<?> deserializer) {
      this.valueDeserializer = deserializer;
      return this;
    }

    /** @throws ConfigException naming the first unknown, missing or invalid key */
    public ConsumerConfig build() {
      return new ConsumerConfig(props, keyDeserializer, valueDeserializer);
    }
  }
}
