package dev.runnel.client.errors;

/** A record is larger than the producer's {@code max.request.size}, than {@code buffer.memory}, or than the topic's {@code max.record.bytes}. */
public class RecordTooLargeException extends ApiException {
  private static final long serialVersionUID = 1L;

  public RecordTooLargeException(String message) {
    super(message);
  }

  public RecordTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
