package dev.runnel.client.errors;

/**
 * A transient failure: the same operation may succeed if retried, usually after the client refreshes
 * its metadata. The producer retries these by itself within {@code delivery.timeout.ms}; a user sees
 * one only when that budget runs out.
 */
public class RetriableException extends ApiException {
  private static final long serialVersionUID = 1L;

  public RetriableException(String message) {
    super(message);
  }

  public RetriableException(String message, Throwable cause) {
    super(message, cause);
  }
}
