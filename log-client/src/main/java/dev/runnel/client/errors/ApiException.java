package dev.runnel.client.errors;

/**
 * An error that is part of the Runnel protocol: a broker answered with an {@code ErrorCode}, or the
 * client detected the same condition itself. Subclasses of {@link RetriableException} may succeed when
 * the operation is repeated; the others will fail again unless the request changes.
 */
public class ApiException extends RunnelException {
  private static final long serialVersionUID = 1L;

  public ApiException(String message) {
    super(message);
  }

  public ApiException(String message, Throwable cause) {
    super(message, cause);
  }
}
