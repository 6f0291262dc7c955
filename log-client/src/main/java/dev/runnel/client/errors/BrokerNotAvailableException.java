package dev.runnel.client.errors;

/** The broker is shutting down. Retriable against another broker. */
public class BrokerNotAvailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public BrokerNotAvailableException(String message) {
    super(message);
  }

  public BrokerNotAvailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
