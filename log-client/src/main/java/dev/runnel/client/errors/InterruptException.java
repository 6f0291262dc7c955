package dev.runnel.client.errors;

/**
 * A blocking client call was interrupted. The constructor sets the thread's interrupt flag again, so
 * code further up that checks {@link Thread#isInterrupted()} still sees it.
 */
public class InterruptException extends RunnelException {
  private static final long serialVersionUID = 1L;

  public InterruptException(String message, InterruptedException cause) {
    super(message, cause);
    Thread.currentThread().interrupt();
  }
}
