package dev.runnel.client.errors;

/** The partition count is outside the range the brokers accept. */
public class InvalidPartitionsException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidPartitionsException(String message) {
    super(message);
  }

  public InvalidPartitionsException(String message, Throwable cause) {
    super(message, cause);
  }
}
