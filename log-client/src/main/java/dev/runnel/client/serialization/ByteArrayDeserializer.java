package dev.runnel.client.serialization;

/** Passes byte arrays through unchanged. */
public final class ByteArrayDeserializer implements Deserializer<byte[]> {
  @Override
  public byte[] deserialize(String topic, byte[] data) {
    return data;
  }
}
