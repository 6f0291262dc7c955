package dev.runnel.client.serialization;

import java.nio.charset.StandardCharsets;

/** Encodes strings as UTF-8. */
public final class StringSerializer implements Serializer<String> {
  @Override
  public byte[] serialize(String topic, String data) {
    return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
  }
}
