package dev.runnel.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the broker configuration from its sources, each overriding the ones before: defaults,
 * then a Java properties file, then {@code RUNNEL_*} environment variables, then {@code --set}
 * flags.
 *
 * <pre>{@code
 * ServerConfigLoader loader = new ServerConfigLoader()
 *     .file(Path.of("broker.properties")).env(System.getenv()).set("client.port", "9392");
 * ServerConfig config = loader.load();   // throws ConfigException listing every problem
 * loader.warnings().forEach(log::warn);
 * }</pre>
 */
public final class ServerConfigLoader {

  /** Named limit: a configuration file larger than this is surely not one. */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  /**
   * {@code RUNNEL_*} variables that belong to other parts of Runnel (the client, the launcher
   * script, logging) and are therefore not broker keys.
   */
  public static final Set<String> OTHER_RUNNEL_VARIABLES =
      Set.of("RUNNEL_BOOTSTRAP", "RUNNEL_JAVA_OPTS", "RUNNEL_LOG_LEVEL");

  private static final String FLAG_SOURCE = "--set";

  private Path file;
  private Map<String, String> env = Map.of();
  private final Map<String, String> flags = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** Reads this properties file (UTF-8; unknown keys are errors). */
  public ServerConfigLoader file(Path path) {
    this.file = path;
    return this;
  }

  /** Reads {@code RUNNEL_<KEY>} variables from this environment, e.g. {@code System.getenv()}. */
  public ServerConfigLoader env(Map<String, String> environment) {
    this.env = Map.copyOf(environment);
    return this;
  }

  /** One {@code --set key=value} flag; later flags for the same key win. */
  public ServerConfigLoader set(String key, String value) {
    flags.put(key, value);
    return this;
  }

  /** Several flags, in iteration order. */
  public ServerConfigLoader setAll(Map<String, String> settings) {
    settings.forEach(this::set);
    return this;
  }

  /**
   * Reads every source and validates the result.
   *
   * @throws ConfigException listing every problem: an unreadable file, unknown keys in the file
   *     or flags, values that do not parse or validate, and broken relations between keys
   */
  public ServerConfig load() {
    warnings.clear();
    final List<Setting> settings = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    if (file != null) {
      readFile(file, settings, errors);
    }
    readEnv(settings);
    flags.forEach((key, value) -> settings.add(new Setting(key, value, FLAG_SOURCE)));
    return ServerConfig.create(settings, errors);
  }

  /** Problems that do not stop the broker, such as an unknown RUNNEL_ variable. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private void readEnv(List<Setting> settings) {
    final Map<String, ConfigKey<?>> byEnvName = new LinkedHashMap<>();
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      byEnvName.put(key.envName(), key);
    }
    // Sorted so warnings come out in a stable order.
    for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
      final String name = entry.getKey();
      if (!name.startsWith(ConfigKey.ENV_PREFIX) || OTHER_RUNNEL_VARIABLES.contains(name)) {
        continue;
      }
      final ConfigKey<?> key = byEnvName.get(name);
      if (key == null) {
        warnings.add("ignoring environment variable " + name
            + ": it matches no broker configuration key");
      } else {
        settings.add(new Setting(key.name(), entry.getValue(), "environment variable " + name));
      }
    }
  }

  private static void readFile(Path path, List<Setting> settings, List<String> errors) {
    final String source = "file " + path;
    try {
      if (!Files.isRegularFile(path)) {
        errors.add("config file " + path + (Files.exists(path) ? " is not a regular file"
            : " does not exist"));
        return;
      }
      if (Files.size(path) > MAX_FILE_BYTES) {
        errors.add("config file " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
        return;
      }
      final List<String> duplicates = new ArrayList<>();
      final Properties properties = new DuplicateDetectingProperties(duplicates);
      try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      for (String key : duplicates) {
        errors.add(ConfigKey.printable(key) + ": set more than once in " + source);
      }
      // Properties does not keep file order; sort so errors come out in a stable order.
      for (String key : new TreeMap<>(propertiesAsMap(properties)).keySet()) {
        settings.add(new Setting(key, properties.getProperty(key), source));
      }
    } catch (CharacterCodingException e) {
      errors.add("config file " + path + " is not valid UTF-8");
    } catch (IllegalArgumentException e) {
      // Properties.load rejects malformed \\uXXXX escapes this way.
      errors.add("config file " + path + " is malformed: " + e.getMessage());
    } catch (IOException e) {
      errors.add("config file " + path + " cannot be read: " + e);
    }
  }

  private static Map<String, String> propertiesAsMap(Properties properties) {
    final Map<String, String> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return map;
  }

  /** Records keys that a file sets twice; plain Properties silently keeps the last one. */
  private static final class DuplicateDetectingProperties extends Properties {
    private static final long serialVersionUID = 1L;
    private final transient List<String> duplicates;

    DuplicateDetectingProperties(List<String> duplicates) {
      this.duplicates = duplicates;
    }

    @Override
    public synchronized Object put(Object key, Object value) {
      if (containsKey(key)) {
        duplicates.add(String.valueOf(key));
      }
      return super.put(key, value);
    }
  }
}
