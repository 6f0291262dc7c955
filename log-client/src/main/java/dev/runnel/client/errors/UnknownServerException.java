package dev.runnel.client.errors;

/** The broker failed unexpectedly while handling the request; details are in its log. Retriable. */
public class UnknownServerException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public UnknownServerException(String message) {
    super(message);
  }

  public UnknownServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
