package dev.runnel.client.errors;

/** The topic or partition does not exist (or the broker has not learned of it yet). Retriable, because metadata may still be propagating after a topic was created. */
public class UnknownTopicOrPartitionException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public UnknownTopicOrPartitionException(String message) {
    super(message);
  }

  public UnknownTopicOrPartitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
