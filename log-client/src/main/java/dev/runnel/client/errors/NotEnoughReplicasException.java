package dev.runnel.client.errors;

/** With {@code acks=all}, the write could not be confirmed on every replica in time. It is committed on a majority; an idempotent producer's retry is deduplicated. */
public class NotEnoughReplicasException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public NotEnoughReplicasException(String message) {
    super(message);
  }

  public NotEnoughReplicasException(String message, Throwable cause) {
    super(message, cause);
  }
}
