package dev.runnel.client.errors;

/**
 * The root of every exception the Runnel client throws. Unchecked, like Kafka's
 * {@code KafkaException}: callers catch the specific subclasses they can handle.
 */
public class RunnelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunnelException(String message) {
    super(message);
  }

  public RunnelException(String message, Throwable cause) {
    super(message, cause);
  }
}
