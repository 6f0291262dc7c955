package dev.runnel.client.errors;

/** A record batch failed its CRC-32C check or its header is inconsistent. On produce, the broker stored nothing; on fetch, the consumer refuses the batch. */
public class CorruptRecordException extends ApiException {
  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }

  public CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
