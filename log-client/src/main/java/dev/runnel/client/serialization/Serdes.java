package dev.runnel.client.serialization;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.UUID;

/** Factory of the built-in {@link Serde}s. */
public final class Serdes {
  private Serdes() {}

  public static Serde<byte[]> byteArray() {
    return Serde.of(new ByteArraySerializer(), new ByteArrayDeserializer());
  }

  public static Serde<String> string() {
    return Serde.of(new StringSerializer(), new StringDeserializer());
  }

  public static Serde<Integer> integer() {
    return Serde.of(new IntegerSerializer(), new IntegerDeserializer());
  }

  public static Serde<Long> longs() {
    return Serde.of(new LongSerializer(), new LongDeserializer());
  }

  public static Serde<UUID> uuid() {
    return Serde.of(new UUIDSerializer(), new UUIDDeserializer());
  }

  /** JSON with Jackson, to and from {@code type}. */
  public static <T> Serde<T> json(Class<T> type) {
    return Serde.of(new JsonSerializer<>(), new JsonDeserializer<>(type));
  }

  /** Protobuf binary format of one generated message type: {@code Serdes.protobuf(MyMsg.parser())}. */
  public static <T extends MessageLite> Serde<T> protobuf(Parser<T> parser) {
    return Serde.of(new ProtobufSerializer<>(), new ProtobufDeserializer<>(parser));
  }
}
