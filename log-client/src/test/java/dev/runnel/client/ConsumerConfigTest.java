package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.serialization.StringDeserializer;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsumerConfigTest {

  @Test
  void defaultsMatchKafka() {
    ConsumerConfig c = new ConsumerConfig(Map.of("bootstrap.servers", "h:1"));
    assertEquals(1, c.fetchMinBytes());
    assertEquals(50 << 20, c.fetchMaxBytes());
    assertEquals(500, c.fetchMaxWaitMs());
    assertEquals(1 << 20, c.maxPartitionFetchBytes());
    assertEquals(500, c.maxPollRecords());
    assertEquals("latest", c.autoOffsetReset());
    assertTrue(c.checkCrcs());
    assertEquals(300_000, c.metadataMaxAgeMs());
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    String[][] cases = {
        {"auto.offset.reset", "smallest"},
        {"max.poll.records", "0"},
        {"fetch.max.wait.ms", "-5"},
        {"check.crcs", "maybe"},
        {"value.deserializer", "java.lang.Object"},
        {"group.id", "g"},
    };
    for (String[] c : cases) {
      Properties p = new Properties();
      p.put("bootstrap.servers", "h:1");
      p.put(c[0], c[1]);
      String msg = assertThrows(ConfigException.class, () -> new ConsumerConfig(p)).getMessage();
      assertTrue(msg.contains(c[0]), c[0] + " gave: " + msg);
    }
  }

  @Test
  void deserializersFromClassNamesOrInstances() {
    Properties p = new Properties();
    p.put("bootstrap.servers", "h:1");
    p.put("key.deserializer", StringDeserializer.class.getName());
    assertTrue(new ConsumerConfig(p).keyDeserializer() instanceof StringDeserializer);
    ConsumerConfig b = ConsumerConfig.builder().bootstrapServers("h:1")
        .valueDeserializer(new StringDeserializer()).autoOffsetReset("EARLIEST").build();
    assertTrue(b.valueDeserializer() instanceof StringDeserializer);
    assertEquals("earliest", b.autoOffsetReset());
  }
}
