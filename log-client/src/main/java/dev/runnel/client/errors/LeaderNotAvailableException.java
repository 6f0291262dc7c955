package dev.runnel.client.errors;

/** The partition has no leader right now, usually because an election is in progress. Retriable. */
public class LeaderNotAvailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public LeaderNotAvailableException(String message) {
    super(message);
  }

  public LeaderNotAvailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
