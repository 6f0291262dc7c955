package dev.runnel.server.config;

/**
 * How one kind of configuration value is read from and written as text.
 *
 * @param <T> the Java type of the value
 */
public interface ConfigType<T> {

  /** Short name for documentation, e.g. {@code int} or {@code bytes}. */
  String name();

  /**
   * Parses trimmed text.
   *
   * @throws IllegalArgumentException whose message is a phrase completing "'text' ...", such as
   *     "is not an integer"
   */
  T parse(String text);

  /** Canonical text of a value; {@code parse(format(v))} equals {@code v}. */
  String format(T value);
}
