package dev.runnel.client.errors;

/** A topic with that name already exists. */
public class TopicExistsException extends ApiException {
  private static final long serialVersionUID = 1L;

  public TopicExistsException(String message) {
    super(message);
  }

  public TopicExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
