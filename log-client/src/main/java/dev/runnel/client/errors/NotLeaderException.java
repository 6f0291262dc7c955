package dev.runnel.client.errors;

/** The broker that received the request does not lead the partition. Retriable after a metadata refresh. */
public class NotLeaderException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public NotLeaderException(String message) {
    super(message);
  }

  public NotLeaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
