package dev.runnel.client.serialization;

/** Eight bytes, big-endian (the same bytes as Kafka's LongSerializer). */
public final class LongSerializer implements Serializer<Long> {
  @Override
  public byte[] serialize(String topic, Long data) {
    if (data == null) {
      return null;
    }
    long v = data;
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }
}
