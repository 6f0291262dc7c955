package dev.runnel.client.errors;

/**
 * Thrown by a blocking consumer call after another thread called {@code Consumer.wakeup()}. It is the
 * way to interrupt a {@code poll} loop from outside, for example from a shutdown hook.
 */
public class WakeupException extends RunnelException {
  private static final long serialVersionUID = 1L;

  public WakeupException() {
    super("the consumer was woken up by Consumer.wakeup()");
  }
}
