package dev.runnel.client.serialization;

import dev.runnel.client.errors.SerializationException;

/** Reads four big-endian bytes; any other length is an error. */
public final class IntegerDeserializer implements Deserializer<Integer> {
  @Override
  public Integer deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length != 4) {
      throw new SerializationException("an Integer needs exactly 4 bytes, got " + data.length);
    }
    int v = 0;
    for (byte b : data) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
