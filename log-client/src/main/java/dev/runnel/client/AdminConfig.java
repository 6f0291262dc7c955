package dev.runnel.client;

import static dev.runnel.client.internals.config.ConfigDef.atLeast;

import dev.runnel.client.internals.config.CommonKeys;
import dev.runnel.client.internals.config.ConfigDef;
import dev.runnel.client.internals.config.ConfigDef.Type;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.config.ParsedConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Admin client settings, from Kafka-style {@link Properties} or the {@link #builder()}. */
public final class AdminConfig {
  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonKeys.BOOTSTRAP_SERVERS;
  public static final String CLIENT_ID_CONFIG = CommonKeys.CLIENT_ID;
  public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonKeys.REQUEST_TIMEOUT_MS;
  public static final String RETRY_BACKOFF_MS_CONFIG = CommonKeys.RETRY_BACKOFF_MS;
  public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = "default.api.timeout.ms";
  public static final String DEFAULT_API_TIMEOUT_MS_DOC = "Overall time an admin call may take,"
      + " retries included.";

  private static final ConfigDef CONFIG = CommonKeys.defineCommon(new ConfigDef())
      .define(DEFAULT_API_TIMEOUT_MS_CONFIG, Type.INT, 60_000, atLeast(1), DEFAULT_API_TIMEOUT_MS_DOC);

  private final ParsedConfig values;

  public AdminConfig(Properties props) {
    this.values = new ParsedConfig(CONFIG, new HashMap<>(props));
  }

  public AdminConfig(Map<String, ?> props) {
    this.values = new ParsedConfig(CONFIG, props);
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

  public int requestTimeoutMs() {
    return values.getInt(REQUEST_TIMEOUT_MS_CONFIG);
  }

  public int defaultApiTimeoutMs() {
    return values.getInt(DEFAULT_API_TIMEOUT_MS_CONFIG);
  }

  public long retryBackoffMs() {
    return values.getLong(RETRY_BACKOFF_MS_CONFIG);
  }

  public long retryBackoffMaxMs() {
    return values.getLong(CommonKeys.RETRY_BACKOFF_MAX_MS);
  }

  /** Typed builder; {@link #build()} validates with the same rules as the Properties form. */
  public static final class Builder {
    private final Map<String, Object> props = new HashMap<>();

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

    public Builder requestTimeout(Duration timeout) {
      return set(REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public Builder defaultApiTimeout(Duration timeout) {
      return set(DEFAULT_API_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
    }

    public AdminConfig build() {
      return new AdminConfig(props);
    }
  }
}
