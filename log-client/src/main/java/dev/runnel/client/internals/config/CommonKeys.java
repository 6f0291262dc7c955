package dev.runnel.client.internals.config;

import static dev.runnel.client.internals.config.ConfigDef.NO_DEFAULT;
import static dev.runnel.client.internals.config.ConfigDef.atLeast;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.internals.config.ConfigDef.Type;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/** Keys shared by the producer, consumer and admin configs, defined once. */
public final class CommonKeys {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String CLIENT_ID = "client.id";
  public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
  public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";

  private CommonKeys() {}

  /** Adds the shared keys to {@code def}. */
  public static ConfigDef defineCommon(ConfigDef def) {
    return def
        .define(BOOTSTRAP_SERVERS, Type.LIST, NO_DEFAULT, ConfigDef.hostPortList(),
            "Comma-separated host:port list of brokers used to discover the cluster. Any subset works:"
                + " the client learns the other brokers from metadata, and tries the list in turn.")
        .define(CLIENT_ID, Type.STRING, "", "A name for this client, sent to brokers in logs.")
        .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, atLeast(1),
            "How long to wait for the answer to one request before failing or retrying it.")
        .define(RETRY_BACKOFF_MS, Type.LONG, 100L, atLeast(0),
            "Initial wait before retrying a failed request; doubles per attempt up to"
                + " retry.backoff.max.ms.")
        .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 1000L, atLeast(0),
            "Upper bound of the exponential retry backoff.")
        .define(METADATA_MAX_AGE_MS, Type.LONG, 300_000L, atLeast(0),
            "Refresh cluster metadata at least this often even without errors, to learn of new"
                + " brokers, partitions and (for pattern subscriptions) topics.");
  }

  /** Parses the bootstrap list into addresses. */
  public static List<HostPort> bootstrap(ParsedConfig config) {
    List<HostPort> out = new ArrayList<>();
    for (String s : config.getList(BOOTSTRAP_SERVERS)) {
      out.add(HostPort.parse(BOOTSTRAP_SERVERS, s));
    }
    return out;
  }

  /** Instantiates a configured class through its public no-argument constructor. */
  public static <T> T newInstance(String key, Class<?> c, Class<T> type) {
    if (!type.isAssignableFrom(c)) {
      throw new ConfigException("'" + key + "' names " + c.getName() + ", which does not implement "
          + type.getName());
    }
    try {
      return type.cast(c.getDeclaredConstructor().newInstance());
    } catch (NoSuchMethodException e) {
      throw new ConfigException("'" + key + "' names " + c.getName()
          + ", which has no public no-argument constructor; pass an instance to the client instead");
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new ConfigException("could not create " + c.getName() + " for '" + key + "': " + e);
    }
  }
}
