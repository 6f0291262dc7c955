package dev.runnel.client.errors;

/** A record batch is larger than the broker's {@code max.batch.bytes}, or holds more than {@code max.batch.records} records. */
public class BatchTooLargeException extends ApiException {
  private static final long serialVersionUID = 1L;

  public BatchTooLargeException(String message) {
    super(message);
  }

  public BatchTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
