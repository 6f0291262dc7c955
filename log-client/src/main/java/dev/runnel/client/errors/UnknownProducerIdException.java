package dev.runnel.client.errors;

/** The producer id is unknown to the broker, or its epoch has been superseded. */
public class UnknownProducerIdException extends ApiException {
  private static final long serialVersionUID = 1L;

  public UnknownProducerIdException(String message) {
    super(message);
  }

  public UnknownProducerIdException(String message, Throwable cause) {
    super(message, cause);
  }
}
