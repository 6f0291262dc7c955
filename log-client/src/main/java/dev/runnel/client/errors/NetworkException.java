package dev.runnel.client.errors;

/** The client could not talk to a broker: the connection failed, was closed, or the call was cancelled. Retriable. */
public class NetworkException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public NetworkException(String message) {
    super(message);
  }

  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
