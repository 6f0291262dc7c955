package dev.runnel.client.errors;

/** The broker received a batch whose sequence number does not follow the last one it stored for this producer and partition. */
public class OutOfOrderSequenceException extends ApiException {
  private static final long serialVersionUID = 1L;

  public OutOfOrderSequenceException(String message) {
    super(message);
  }

  public OutOfOrderSequenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
