package dev.runnel.client.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.runnel.client.errors.SerializationException;
import dev.runnel.proto.v1.LeaderHint;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SerdesTest {

  /** A record class, as applications define their events. */
  public record Order(String id, long cents, List<String> items) {}

  private static <T> T roundTrip(Serde<T> serde, T value) {
    byte[] bytes = serde.serializer().serialize("t", value);
    return serde.deserializer().deserialize("t", bytes);
  }

  @Test
  void primitivesRoundTripAndMatchKafkaBytes() {
    assertEquals("héllo", roundTrip(Serdes.string(), "héllo"));
    assertEquals(Integer.MIN_VALUE, roundTrip(Serdes.integer(), Integer.MIN_VALUE));
    assertEquals(-42L, roundTrip(Serdes.longs(), -42L));
    UUID id = UUID.randomUUID();
    assertEquals(id, roundTrip(Serdes.uuid(), id));
    assertArrayEquals(new byte[] {1, 2}, roundTrip(Serdes.byteArray(), new byte[] {1, 2}));
    // Kafka's IntegerSerializer and LongSerializer are big-endian.
    assertArrayEquals(new byte[] {0, 0, 1, 2}, new IntegerSerializer().serialize("t", 258));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, new LongSerializer().serialize("t", 256L));
    assertArrayEquals(id.toString().getBytes(), new UUIDSerializer().serialize("t", id));
  }

  @Test
  void nullsStayNull() {
    for (Serde<?> s : List.of(Serdes.string(), Serdes.integer(), Serdes.longs(), Serdes.uuid(),
        Serdes.json(Order.class), Serdes.protobuf(Struct.parser()))) {
      assertNull(s.deserializer().deserialize("t", null));
    }
    assertNull(new JsonSerializer<>().serialize("t", null));
  }

  @Test
  void wrongSizesAreClearErrors() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> new IntegerDeserializer().deserialize("t", new byte[3]));
    assertTrue(e.getMessage().contains("exactly 4 bytes, got 3"), e.getMessage());
    assertThrows(SerializationException.class, () -> new LongDeserializer().deserialize("t", new byte[9]));
    assertThrows(SerializationException.class, () -> new UUIDDeserializer().deserialize("t", new byte[2]));
  }

  @Test
  void jsonRoundTripsARecordClassAndIgnoresUnknownFields() {
    Order o = new Order("o-1", 1299, List.of("tea", "cake"));
    assertEquals(o, roundTrip(Serdes.json(Order.class), o));
    String newer = "{\"id\":\"o-2\",\"cents\":5,\"items\":[],\"addedLater\":true}";
    assertEquals(new Order("o-2", 5, List.of()),
        new JsonDeserializer<>(Order.class).deserialize("t", newer.getBytes()));
    SerializationException e = assertThrows(SerializationException.class,
        () -> new JsonDeserializer<>(Order.class).deserialize("t", "{not json".getBytes()));
    assertTrue(e.getMessage().contains("not valid JSON for"), e.getMessage());
  }

  @Test
  void protobufRoundTripsWellKnownAndGeneratedTypes() {
    Struct s = Struct.newBuilder().putFields("total", Value.newBuilder().setNumberValue(12.5).build())
        .putFields("currency", Value.newBuilder().setStringValue("EUR").build()).build();
    assertEquals(s, roundTrip(Serdes.protobuf(Struct.parser()), s));
    LeaderHint h = LeaderHint.newBuilder().setBrokerId(3).setAddress("h:1").build();
    assertEquals(h, roundTrip(Serdes.protobuf(LeaderHint.parser()), h));
    assertThrows(SerializationException.class,
        () -> new ProtobufDeserializer<>(Struct.parser()).deserialize("t", new byte[] {(byte) 0xff, 1}));
  }
}
