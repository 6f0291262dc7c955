package dev.runnel.client.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnel.client.errors.SerializationException;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads UTF-8 JSON into a class with Jackson: {@code new JsonDeserializer<>(Order.class)}. Unknown
 * JSON properties are ignored by default, so producers can add fields without breaking consumers.
 *
 * @param <T> the type produced
 */
public final class JsonDeserializer<T> implements Deserializer<T> {
  /** Shared, thread-safe mapper with the defaults of this package. */
  static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final ObjectMapper mapper;
  private final JavaType type;

  public JsonDeserializer(Class<T> type) {
    this(type, DEFAULT_MAPPER);
  }

  public JsonDeserializer(Class<T> type, ObjectMapper mapper) {
    this(mapper.constructType(Objects.requireNonNull(type, "type")), mapper);
  }

  /** For generic types: {@code mapper.getTypeFactory().constructCollectionType(List.class, X.class)}. */
  public JsonDeserializer(JavaType type, ObjectMapper mapper) {
    this.type = Objects.requireNonNull(type, "type");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return mapper.readValue(data, type);
    } catch (IOException e) {
      throw new SerializationException("not valid JSON for " + type.getTypeName() + ": "
          + e.getMessage(), e);
    }
  }
}
