package dev.runnel.client.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The UUID's 36-character string form in UTF-8 (the same bytes as Kafka's UUIDSerializer). */
public final class UUIDSerializer implements Serializer<UUID> {
  @Override
  public byte[] serialize(String topic, UUID data) {
    return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
  }
}
