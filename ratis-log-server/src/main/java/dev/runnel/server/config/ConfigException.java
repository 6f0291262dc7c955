package dev.runnel.server.config;

import java.util.List;

/**
 * Invalid configuration. Carries every problem found, so an operator fixes them all in one round
 * instead of one restart per mistake. Each entry names the key, the rejected value and what is
 * allowed, e.g. {@code client.port: 'abc' is not an integer (0..65535), from --set}.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  /** Creates an exception from one or more error lines. */
  public ConfigException(List<String> errors) {
    super(summary(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Creates an exception from one error line. */
  public ConfigException(String error) {
    this(List.of(error));
  }

  /** Every problem found, one line each, in key-definition order. */
  public List<String> errors() {
    return errors;
  }

  private static String summary(List<String> errors) {
    if (errors.size() == 1) {
      return errors.get(0);
    }
    final StringBuilder text = new StringBuilder(errors.size() + " configuration errors:");
    for (String error : errors) {
      text.append(System.lineSeparator()).append("  - ").append(error);
    }
    return text.toString();
  }
}
