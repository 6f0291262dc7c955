package dev.runnel.client.errors;

/** A request is larger than the broker's {@code max.request.bytes}. */
public class RequestTooLargeException extends ApiException {
  private static final long serialVersionUID = 1L;

  public RequestTooLargeException(String message) {
    super(message);
  }

  public RequestTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
