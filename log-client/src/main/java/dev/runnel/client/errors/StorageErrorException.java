package dev.runnel.client.errors;

/** The partition's replica on the broker is damaged or unavailable and is not served. Retriable: another replica may take over. */
public class StorageErrorException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public StorageErrorException(String message) {
    super(message);
  }

  public StorageErrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
