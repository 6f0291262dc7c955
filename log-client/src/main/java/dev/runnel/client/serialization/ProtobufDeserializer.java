package dev.runnel.client.serialization;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.runnel.client.errors.SerializationException;
import java.util.Objects;

/**
 * Parses a Protobuf message of one generated type: {@code new ProtobufDeserializer<>(MyMsg.parser())}.
 *
 * @param <T> the generated message type
 */
public final class ProtobufDeserializer<T extends MessageLite> implements Deserializer<T> {
  private final Parser<T> parser;

  public ProtobufDeserializer(Parser<T> parser) {
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new SerializationException("not a valid Protobuf message: " + e.getMessage(), e);
    }
  }
}
