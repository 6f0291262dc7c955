package dev.runnel.client.errors;

/** A topic configuration key is unknown or its value is invalid. */
public class InvalidConfigurationException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigurationException(String message) {
    super(message);
  }

  public InvalidConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
