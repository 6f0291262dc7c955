package dev.runnel.server.config;

/**
 * Checks one parsed configuration value on its own. Relations between keys are checked by
 * {@link ServerConfig} once every key has been parsed.
 *
 * @param <T> the Java type of the value
 */
public interface Validator<T> {

  /**
   * Returns {@code null} when the value is allowed, otherwise a phrase completing "'text' ...",
   * such as "is out of range".
   */
  String check(T value);

  /** What is allowed, for error messages and documentation, e.g. {@code 0..65535}. */
  String allowed();
}
