package dev.runnel.client.internals.config;

import dev.runnel.client.errors.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The declared configuration keys of one client: each key's type, default, validator and doc in one
 * {@link #define} call, in the style of Kafka's ConfigDef. {@link #parse} turns user input (strings
 * from {@code Properties}, or typed values from a builder) into checked, typed values.
 */
public final class ConfigDef {
  /** Marks a key without a default: the user must set it. */
  public static final Object NO_DEFAULT = new Object();

  /** Value types. */
  public enum Type { INT, LONG, STRING, BOOLEAN, LIST, CLASS }

  /** Checks one parsed value; throws {@link ConfigException} naming the key and value. */
  @FunctionalInterface
  public interface Validator {
    void ensureValid(String name, Object value);
  }

  /** One declared key. */
  public record Key(String name, Type type, Object defaultValue, Validator validator, String doc) {
    public boolean hasDefault() {
      return defaultValue != NO_DEFAULT;
    }
  }

  private final Map<String, Key> keys = new LinkedHashMap<>();

  /** Declares a key. The default, if any, must itself pass the validator. */
  public ConfigDef define(String name, Type type, Object defaultValue, Validator validator, String doc) {
    if (keys.containsKey(name)) {
      throw new IllegalStateException("config key '" + name + "' is defined twice");
    }
    Object parsedDefault = defaultValue == NO_DEFAULT || defaultValue == null ? defaultValue
        : ConfigValues.parse(name, type, defaultValue);
    if (parsedDefault != NO_DEFAULT && parsedDefault != null && validator != null) {
      validator.ensureValid(name, parsedDefault);
    }
    keys.put(name, new Key(name, type, parsedDefault, validator, doc));
    return this;
  }

  /** Declares a key without a validator. */
  public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
    return define(name, type, defaultValue, null, doc);
  }

  public Map<String, Key> keys() {
    return Collections.unmodifiableMap(keys);
  }

  /**
   * Parses and validates user settings. Unknown keys are rejected rather than ignored, because a typo
   * in a key (say {@code linger.msec}) would otherwise silently leave the default in force.
   *
   * @throws ConfigException naming the first key that is unknown, missing or invalid
   */
  public Map<String, Object> parse(Map<?, ?> props) {
    for (Object k : props.keySet()) {
      if (!(k instanceof String) || !keys.containsKey(k)) {
        throw new ConfigException("unknown config key '" + k + "'; known keys are "
            + new TreeSet<>(keys.keySet()));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Key key : keys.values()) {
      Object raw = props.get(key.name());
      Object value;
      if (raw == null) {
        if (!key.hasDefault()) {
          throw new ConfigException("missing required config '" + key.name() + "': " + key.doc());
        }
        value = key.defaultValue();
      } else {
        value = ConfigValues.parse(key.name(), key.type(), raw);
      }
      if (value != null && key.validator() != null) {
        key.validator().ensureValid(key.name(), value);
      }
      values.put(key.name(), value);
    }
    return values;
  }

  /** A Markdown table of the keys (name, type, default, doc), for the documentation. */
  public String toMarkdownTable() {
    StringBuilder sb = new StringBuilder("| Key | Type | Default | Description |\n|---|---|---|---|\n");
    for (Key k : keys.values()) {
      String def = !k.hasDefault() ? "(required)" : String.valueOf(k.defaultValue() instanceof Class<?> c
          ? c.getName() : k.defaultValue());
      sb.append("| `").append(k.name()).append("` | ").append(k.type().name().toLowerCase(Locale.ROOT))
          .append(" | `").append(def).append("` | ").append(k.doc()).append(" |\n");
    }
    return sb.toString();
  }

  // ---- validators ------------------------------------------------------------------------------

  /** The number must be at least {@code min}. */
  public static Validator atLeast(long min) {
    return (name, v) -> {
      if (((Number) v).longValue() < min) {
        throw new ConfigException("invalid value " + v + " for '" + name + "': must be at least " + min);
      }
    };
  }

  /** The number must be within {@code [min, max]}. */
  public static Validator between(long min, long max) {
    return (name, v) -> {
      long n = ((Number) v).longValue();
      if (n < min || n > max) {
        throw new ConfigException("invalid value " + v + " for '" + name + "': must be between " + min
            + " and " + max);
      }
    };
  }

  /** The string must be one of {@code allowed}, ignoring case. */
  public static Validator oneOf(String... allowed) {
    List<String> lower = new ArrayList<>();
    for (String a : allowed) {
      lower.add(a.toLowerCase(Locale.ROOT));
    }
    return (name, v) -> {
      if (!lower.contains(v.toString().trim().toLowerCase(Locale.ROOT))) {
        throw new ConfigException("invalid value '" + v + "' for '" + name + "': must be one of "
            + Arrays.toString(allowed));
      }
    };
  }

  /** The list must have at least one entry, each of the form {@code host:port}. */
  public static Validator hostPortList() {
    return (name, v) -> {
      List<?> list = (List<?>) v;
      if (list.isEmpty()) {
        throw new ConfigException("'" + name + "' must list at least one host:port");
      }
      for (Object o : list) {
        HostPort.parse(name, o.toString());
      }
    };
  }

  /** The class must be assignable to {@code type} and have a public no-argument constructor. */
  public static Validator instanceOf(Class<?> type) {
    return (name, v) -> {
      Class<?> c = (Class<?>) v;
      if (!type.isAssignableFrom(c)) {
        throw new ConfigException("invalid value " + c.getName() + " for '" + name
            + "': it does not implement " + type.getName());
      }
    };
  }
}
