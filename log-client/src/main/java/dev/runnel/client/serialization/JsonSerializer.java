package dev.runnel.client.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnel.client.errors.SerializationException;
import java.util.Objects;

/**
 * Writes objects as UTF-8 JSON with Jackson. Plain classes, Java records, maps and lists work out of
 * the box; pass your own {@link ObjectMapper} for modules (java.time, Kotlin) or naming strategies.
 *
 * @param <T> the type serialized
 */
public final class JsonSerializer<T> implements Serializer<T> {
  private final ObjectMapper mapper;

  public JsonSerializer() {
    this(JsonDeserializer.DEFAULT_MAPPER);
  }

  public JsonSerializer(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return mapper.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new SerializationException("could not write " + data.getClass().getName()
          + " as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
