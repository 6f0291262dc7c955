package dev.runnel.client.errors;

/** The request was malformed: a field was missing or out of range. */
public class InvalidRequestException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
