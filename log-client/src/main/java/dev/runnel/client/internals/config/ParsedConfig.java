package dev.runnel.client.internals.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed, validated config values with typed getters, plus the keys the user set explicitly. */
public final class ParsedConfig {
  private final Map<String, Object> values;
  private final Set<String> explicit;

  public ParsedConfig(ConfigDef def, Map<?, ?> props) {
    this.values = Collections.unmodifiableMap(def.parse(props));
    @SuppressWarnings("unchecked")
    Set<String> keys = (Set<String>) (Set<?>) props.keySet();
    this.explicit = Set.copyOf(keys);
  }

  public int getInt(String key) {
    return (Integer) get(key);
  }

  public long getLong(String key) {
    return (Long) get(key);
  }

  public String getString(String key) {
    return (String) get(key);
  }

  public boolean getBoolean(String key) {
    return (Boolean) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    return (List<String>) get(key);
  }

  public Class<?> getClass(String key) {
    return (Class<?>) get(key);
  }

  /** Whether the user set this key (rather than relying on the default). */
  public boolean isExplicit(String key) {
    return explicit.contains(key);
  }

  public Map<String, Object> values() {
    return values;
  }

  private Object get(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("config key '" + key + "' is not defined");
    }
    return values.get(key);
  }
}
