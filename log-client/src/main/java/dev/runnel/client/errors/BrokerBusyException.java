package dev.runnel.client.errors;

/** The broker has too many requests in flight; the client backs off and retries. */
public class BrokerBusyException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public BrokerBusyException(String message) {
    super(message);
  }

  public BrokerBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
