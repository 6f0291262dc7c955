package dev.runnel.client.serialization;

/** Passes byte arrays through unchanged. */
public final class ByteArraySerializer implements Serializer<byte[]> {
  @Override
  public byte[] serialize(String topic, byte[] data) {
    return data;
  }
}
