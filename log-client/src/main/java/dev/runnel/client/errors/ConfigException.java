package dev.runnel.client.errors;

/** A client configuration key is unknown or its value is invalid. The message names the key, the value and the rule it broke. */
public class ConfigException extends RunnelException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
