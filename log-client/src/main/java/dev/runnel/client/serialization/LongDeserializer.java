package dev.runnel.client.serialization;

import dev.runnel.client.errors.SerializationException;

/** Reads eight big-endian bytes; any other length is an error. */
public final class LongDeserializer implements Deserializer<Long> {
  @Override
  public Long deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length != 8) {
      throw new SerializationException("a Long needs exactly 8 bytes, got " + data.length);
    }
    long v = 0;
    for (byte b : data) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
