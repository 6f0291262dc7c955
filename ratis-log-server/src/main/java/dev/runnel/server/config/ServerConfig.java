package dev.runnel.server.config;

import static dev.runnel.server.config.ServerConfigKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated, immutable broker configuration with typed getters. Keys, defaults and rules are in
 * {@link ServerConfigKeys}; the generated reference is docs/configuration.md ({@link
 * ConfigDocs#markdown()}).
 *
 * <p>Build one with {@link ServerConfigLoader} (file, environment and flags, for the broker
 * command), {@link #of(Map)} or {@link #builder()} (tests), or {@link #defaults()}. Every path
 * collects all problems and throws one {@link ConfigException} listing them.
 */
public final class ServerConfig {

  private final Map<String, Object> values;
  private final Map<String, String> sources;

  private ServerConfig(Map<String, Object> values, Map<String, String> sources) {
    this.values = Collections.unmodifiableMap(values);
    this.sources = Collections.unmodifiableMap(sources);
  }

  /** Every key at its default. */
  public static ServerConfig defaults() {
    return create(List.of(), List.of());
  }

  /**
   * A configuration from key/value text over the defaults, e.g. {@code of(Map.of("client.port",
   * "0"))}.
   *
   * @throws ConfigException listing unknown keys and every invalid value
   */
  public static ServerConfig of(Map<String, String> settings) {
    final List<Setting> list = new ArrayList<>();
    settings.forEach((key, value) -> list.add(new Setting(key, value, "ServerConfig.of")));
    return create(list, List.of());
  }

  /** A builder for programmatic configuration (tests, embedded brokers). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses settings applied in order (a later setting of a key wins) over the defaults.
   *
   * @param settings raw settings; unknown keys are errors
   * @param earlierErrors problems the caller already found (e.g. an unreadable file), reported
   *     together with the rest
   * @throws ConfigException when there is any error
   */
  static ServerConfig create(Collection<Setting> settings, List<String> earlierErrors) {
    final List<String> errors = new ArrayList<>(earlierErrors);
    final Map<String, Setting> latest = new LinkedHashMap<>();
    for (Setting setting : settings) {
      if (ServerConfigKeys.find(setting.key()) == null) {
        errors.add(KeyNames.unknownKeyError(setting.key(), setting.source()));
      } else {
        latest.put(setting.key(), setting);
      }
    }
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, String> sources = new LinkedHashMap<>();
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      final Setting setting = latest.get(key.name());
      if (setting == null) {
        values.put(key.name(), key.defaultValue());
        sources.put(key.name(), "default");
        continue;
      }
      try {
        values.put(key.name(), key.parse(setting.value(), setting.source()));
        sources.put(key.name(), setting.source());
      } catch (ConfigException e) {
        errors.addAll(e.errors());
      }
    }
    ConfigRelations.check(values, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ServerConfig(values, sources);
  }

  /** The value of any key. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key.name());
  }

  /** Canonical text of every key, in documentation order; {@link #of} accepts it back. */
  public Map<String, String> asText() {
    final Map<String, String> text = new LinkedHashMap<>();
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      text.put(key.name(), format(key));
    }
    return text;
  }

  /** Where the value of a key came from: "default", "--set", "file ...", "environment ...". */
  public String sourceOf(ConfigKey<?> key) {
    return sources.get(key.name());
  }

  /** A copy as a builder, to change a few keys. */
  public Builder toBuilder() {
    final Builder builder = new Builder();
    asText().forEach(builder::set);
    return builder;
  }

  public int brokerId() {
    return get(BROKER_ID);
  }

  public String rack() {
    return get(BROKER_RACK);
  }

  public Path dataDir() {
    return get(DATA_DIR);
  }

  public String listenHost() {
    return get(LISTEN_HOST);
  }

  public String advertisedHost() {
    return get(ADVERTISED_HOST);
  }

  /** 0 means bind any free port. */
  public int clientPort() {
    return get(CLIENT_PORT);
  }

  /** 0 means bind any free port. */
  public int raftPort() {
    return get(RAFT_PORT);
  }

  /** 0 means bind any free port. */
  public int httpPort() {
    return get(HTTP_PORT);
  }

  /** The initial members of the metadata Raft group, at least one, unique ids. */
  public List<QuorumMember> metadataQuorum() {
    return get(METADATA_QUORUM);
  }

  /** Whether this broker is one of the initial metadata group members. */
  public boolean isControllerEligible() {
    return metadataQuorum().stream().anyMatch(m -> m.brokerId() == brokerId());
  }

  public int numPartitions() {
    return get(NUM_PARTITIONS);
  }

  /** Before capping at the number of live brokers. */
  public int defaultReplicationFactor() {
    return get(DEFAULT_REPLICATION_FACTOR);
  }

  public int maxPartitionsPerTopic() {
    return get(MAX_PARTITIONS_PER_TOPIC);
  }

  public int raftGroupsPerTopic() {
    return get(RAFT_GROUPS_PER_TOPIC);
  }

  /** 0 means: derive from the direct-memory limit ({@link GroupReplicaCapacity}). */
  public int raftMaxGroupReplicas() {
    return get(RAFT_MAX_GROUP_REPLICAS);
  }

  /** -1 means unlimited. */
  public long retentionMs() {
    return get(RETENTION_MS);
  }

  /** -1 means unlimited. */
  public long retentionBytes() {
    return get(RETENTION_BYTES);
  }

  public int maxRecordBytes() {
    return get(MAX_RECORD_BYTES);
  }

  public int maxBatchBytes() {
    return get(MAX_BATCH_BYTES);
  }

  public int maxBatchRecords() {
    return get(MAX_BATCH_RECORDS);
  }

  public int maxRequestBytes() {
    return get(MAX_REQUEST_BYTES);
  }

  public int fetchMaxBytes() {
    return get(FETCH_MAX_BYTES);
  }

  public int fetchMaxWaitMs() {
    return (int) fetchMaxWait().toMillis();
  }

  public Duration fetchMaxWait() {
    return get(FETCH_MAX_WAIT);
  }

  public int requestTimeoutMs() {
    return (int) requestTimeout().toMillis();
  }

  public Duration requestTimeout() {
    return get(REQUEST_TIMEOUT);
  }

  public int maxInflightRequests() {
    return get(MAX_INFLIGHT_REQUESTS);
  }

  public long maxInflightProduceBytes() {
    return get(MAX_INFLIGHT_PRODUCE_BYTES);
  }

  public int maxSubscriptions() {
    return get(MAX_SUBSCRIPTIONS);
  }

  public Duration raftRpcTimeoutMin() {
    return get(RAFT_RPC_TIMEOUT_MIN);
  }

  public Duration raftRpcTimeoutMax() {
    return get(RAFT_RPC_TIMEOUT_MAX);
  }

  public Duration raftFollowerStallTimeout() {
    return get(RAFT_FOLLOWER_STALL_TIMEOUT);
  }

  public long raftSegmentBytes() {
    return get(RAFT_SEGMENT_BYTES);
  }

  public long raftWriteBufferBytes() {
    return get(RAFT_WRITE_BUFFER_BYTES);
  }

  public boolean raftLogPayloadSeparate() {
    return get(RAFT_LOG_PAYLOAD_SEPARATE);
  }

  public int raftSyncMaxEntries() {
    return get(RAFT_SYNC_MAX_ENTRIES);
  }

  /** always, after-crash or never: see {@link ServerConfigKeys#STORAGE_VERIFY_ON_START}. */
  public String storageVerifyOnStart() {
    return get(STORAGE_VERIFY_ON_START);
  }

  /** auto, on or off: see {@link ServerConfigKeys#STORAGE_DIRECT_IO}. */
  public String storageDirectIo() {
    return get(STORAGE_DIRECT_IO);
  }

  /** Whether Ratis's metrics go to /metrics: see {@link ServerConfigKeys#METRICS_RATIS}. */
  public boolean ratisMetrics() {
    return get(METRICS_RATIS).equals("on");
  }

  public Duration retentionCheckInterval() {
    return get(RETENTION_CHECK_INTERVAL);
  }

  public long raftSnapshotThresholdEntries() {
    return get(RAFT_SNAPSHOT_ENTRIES);
  }

  public long raftSnapshotThresholdBytes() {
    return get(RAFT_SNAPSHOT_BYTES);
  }

  public int raftSnapshotJitterPercent() {
    return get(RAFT_SNAPSHOT_JITTER_PERCENT);
  }

  public long blockCacheBytes() {
    return get(BLOCK_CACHE_BYTES);
  }

  public long writeBufferTotalBytes() {
    return get(WRITE_BUFFER_TOTAL_BYTES);
  }

  public int storageBackgroundJobs() {
    return get(STORAGE_BACKGROUND_JOBS);
  }

  public long storageMinFreeBytes() {
    return get(STORAGE_MIN_FREE_BYTES);
  }

  public Duration storageFreeCheckInterval() {
    return get(STORAGE_FREE_CHECK_INTERVAL);
  }

  public Duration heartbeatInterval() {
    return get(HEARTBEAT_INTERVAL);
  }

  public Duration sessionTimeout() {
    return get(SESSION_TIMEOUT);
  }

  public Duration controllerReconcileInterval() {
    return get(CONTROLLER_RECONCILE_INTERVAL);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServerConfig && ((ServerConfig) other).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** One {@code key=value} per line, for logs. */
  @Override
  public String toString() {
    final StringBuilder text = new StringBuilder();
    asText().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  private <T> String format(ConfigKey<T> key) {
    return key.type().format(get(key));
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a key from text, as in a properties file. */
    public Builder set(String key, String value) {
      settings.put(key, value);
      return this;
    }

    /** Sets a key from a typed value. */
    public <T> Builder set(ConfigKey<T> key, T value) {
      return set(key.name(), key.type().format(value));
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigException listing every problem
     */
    public ServerConfig build() {
      return of(settings);
    }
  }
}
