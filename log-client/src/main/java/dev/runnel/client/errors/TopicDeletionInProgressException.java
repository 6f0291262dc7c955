package dev.runnel.client.errors;

/** The topic is being deleted. */
public class TopicDeletionInProgressException extends ApiException {
  private static final long serialVersionUID = 1L;

  public TopicDeletionInProgressException(String message) {
    super(message);
  }

  public TopicDeletionInProgressException(String message, Throwable cause) {
    super(message, cause);
  }
}
