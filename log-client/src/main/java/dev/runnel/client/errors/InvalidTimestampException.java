package dev.runnel.client.errors;

/** A timestamp is invalid (negative, other than the special values where they are allowed). */
public class InvalidTimestampException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidTimestampException(String message) {
    super(message);
  }

  public InvalidTimestampException(String message, Throwable cause) {
    super(message, cause);
  }
}
