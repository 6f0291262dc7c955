package dev.runnel.client.serialization;

import dev.runnel.client.Headers;

/**
 * Turns bytes back into a key or value. A deserializer named in a {@code Properties} config
 * ({@code value.deserializer}) needs a public no-argument constructor. When one throws, the consumer
 * reports a {@link dev.runnel.client.errors.RecordDeserializationException} naming the record.
 *
 * @param <T> the type produced
 */
public interface Deserializer<T> extends AutoCloseable {
  /**
   * @param topic the topic the record came from
   * @param data the bytes, may be null
   * @return the object, or null for null bytes
   */
  T deserialize(String topic, byte[] data);

  /** Like {@link #deserialize(String, byte[])}, with the record's headers. */
  default T deserialize(String topic, Headers headers, byte[] data) {
    return deserialize(topic, data);
  }

  @Override
  default void close() {}
}
