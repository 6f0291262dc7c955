package dev.runnel.client.errors;

/** An operation did not complete in time: a request timed out on the broker or in the client, a record could not be delivered within {@code delivery.timeout.ms}, or {@code send} could not get buffer space or metadata within {@code max.block.ms}. For produce, the outcome of a timed-out write is unknown. */
public class TimeoutException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public TimeoutException(String message) {
    super(message);
  }

  public TimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
