package dev.runnel.client.errors;

/** A key or value could not be serialized or deserialized. */
public class SerializationException extends RunnelException {
  private static final long serialVersionUID = 1L;

  public SerializationException(String message) {
    super(message);
  }

  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
