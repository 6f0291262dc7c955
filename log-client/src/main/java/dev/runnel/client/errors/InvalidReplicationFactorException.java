package dev.runnel.client.errors;

/** The replication factor is below 1 or above the number of live brokers. */
public class InvalidReplicationFactorException extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidReplicationFactorException(String message) {
    super(message);
  }

  public InvalidReplicationFactorException(String message, Throwable cause) {
    super(message, cause);
  }
}
