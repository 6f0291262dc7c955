package dev.runnel.client.errors;

/** The topic name breaks the naming rules: [a-zA-Z0-9._-], 1 to 249 characters, not "." or "..". */
public class InvalidTopicException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidTopicException(String message) {
    super(message);
  }

  public InvalidTopicException(String message, Throwable cause) {
    super(message, cause);
  }
}
