package dev.runnel.client.serialization;

import dev.runnel.client.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Parses the UUID string form written by {@link UUIDSerializer}. */
public final class UUIDDeserializer implements Deserializer<UUID> {
  /** The length of the canonical form, e.g. {@code 123e4567-e89b-12d3-a456-426614174000}. */
  private static final int UUID_STRING_LENGTH = 36;

  @Override
  public UUID deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length != UUID_STRING_LENGTH) {
      throw new SerializationException("a UUID needs its " + UUID_STRING_LENGTH
          + "-character string form, got " + data.length + " bytes");
    }
    try {
      return UUID.fromString(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new SerializationException("not a UUID: " + e.getMessage(), e);
    }
  }
}
