package dev.runnel.client.serialization;

import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8. Malformed input is replaced with U+FFFD rather than failing, as
 * {@code new String(bytes, UTF_8)} does.
 */
public final class StringDeserializer implements Deserializer<String> {
  @Override
  public String deserialize(String topic, byte[] data) {
    return data == null ? null : new String(data, StandardCharsets.UTF_8);
  }
}
