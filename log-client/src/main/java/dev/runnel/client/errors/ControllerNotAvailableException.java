package dev.runnel.client.errors;

/** The broker cannot reach the metadata quorum or the controller. Retriable. */
public class ControllerNotAvailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public ControllerNotAvailableException(String message) {
    super(message);
  }

  public ControllerNotAvailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
