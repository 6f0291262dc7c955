package dev.runnel.client.serialization;

import dev.runnel.client.Headers;

/**
 * Turns a key or value into bytes. Implementations must be thread-safe; a serializer named in a
 * {@code Properties} config ({@code key.serializer}) needs a public no-argument constructor.
 *
 * @param <T> the type serialized
 */
public interface Serializer<T> extends AutoCloseable {
  /**
   * @param topic the topic the record is sent to
   * @param data the object, may be null
   * @return the bytes, or null for a null object
   * @throws dev.runnel.client.errors.SerializationException if the object cannot be serialized
   */
  byte[] serialize(String topic, T data);

  /** Like {@link #serialize(String, Object)}, with the record's headers (which may be changed). */
  default byte[] serialize(String topic, Headers headers, T data) {
    return serialize(topic, data);
  }

  @Override
  default void close() {}
}
