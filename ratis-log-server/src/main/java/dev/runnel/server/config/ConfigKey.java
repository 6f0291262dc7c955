package dev.runnel.server.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: name, type, default, validator and documentation, declared once in
 * {@link ServerConfigKeys}.
 *
 * @param name dotted lower-case key, e.g. {@code client.port}
 * @param type how the value is parsed and formatted
 * @param defaultValue the value when no source sets the key; must pass the validator
 * @param validator checks the value on its own (relations between keys live in ServerConfig)
 * @param doc one or two sentences for operators
 * @param <T> the Java type of the value
 */
public record ConfigKey<T>(
    String name, ConfigType<T> type, T defaultValue, Validator<T> validator, String doc) {

  /** Prefix of the environment variable that sets a key. */
  public static final String ENV_PREFIX = "RUNNEL_";

  /** Checks that the definition itself is sound; a failure here is a programming error. */
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(doc, "doc");
    if (!name.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*")) {
      throw new IllegalArgumentException("bad key name " + name);
    }
    if (validator.check(defaultValue) != null) {
      throw new IllegalArgumentException("default of " + name + " fails its own validator");
    }
  }

  /** The environment variable for this key: {@code client.port} is {@code RUNNEL_CLIENT_PORT}. */
  public String envName() {
    return envName(name);
  }

  /** The environment variable for a key name. */
  public static String envName(String keyName) {
    return ENV_PREFIX + keyName.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Canonical text of the default value. */
  public String defaultText() {
    return type.format(defaultValue);
  }

  /**
   * Parses and validates text from a source.
   *
   * @return the value
   * @throws ConfigException naming this key, the text, the problem and what is allowed
   */
  public T parse(String rawText, String source) {
    final String text = rawText.trim();
    final T value;
    try {
      value = type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(error(text, e.getMessage(), source));
    }
    final String problem = validator.check(value);
    if (problem != null) {
      throw new ConfigException(error(text, problem, source));
    }
    return value;
  }

  private String error(String text, String problem, String source) {
    return name + ": '" + printable(text) + "' " + problem + " (" + validator.allowed() + ")"
        + (source.isEmpty() ? "" : ", from " + source);
  }

  /** Shortens and de-controls a value so an error stays on one readable line. */
  static String printable(String text) {
    final int maxChars = 100;
    final String shortened = text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
    return shortened.replaceAll("\\p{Cntrl}", "?");
  }
}
