package dev.runnel.client.errors;

/** The compression codec of a batch is not supported by the broker or by this client. */
public class UnsupportedCompressionTypeException extends ApiException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCompressionTypeException(String message) {
    super(message);
  }

  public UnsupportedCompressionTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}
