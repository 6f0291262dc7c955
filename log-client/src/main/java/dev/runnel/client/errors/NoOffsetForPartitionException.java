package dev.runnel.client.errors;

/** The consumer has no position for a partition and {@code auto.offset.reset} is {@code none}. Call {@code seek} (or {@code seekToBeginning}/{@code seekToEnd}) first. */
public class NoOffsetForPartitionException extends ApiException {
  private static final long serialVersionUID = 1L;

  public NoOffsetForPartitionException(String message) {
    super(message);
  }

  public NoOffsetForPartitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
