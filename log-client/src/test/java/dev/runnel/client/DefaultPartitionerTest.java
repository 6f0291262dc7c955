package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.protocol.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keyed records must land where Kafka's default partitioner puts the same key bytes. */
class DefaultPartitionerTest {

  /** Kafka's own vectors, from org.apache.kafka.common.utils.UtilsTest#testMurmur2. */
  private static final Map<String, Integer> KAFKA_MURMUR2 = new LinkedHashMap<>();

  static {
    KAFKA_MURMUR2.put("21", -973932308);
    KAFKA_MURMUR2.put("foobar", -790332482);
    KAFKA_MURMUR2.put("a-little-bit-long-string", -985981536);
    KAFKA_MURMUR2.put("a-little-bit-longer-string", -1486304829);
    KAFKA_MURMUR2.put("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971);
    KAFKA_MURMUR2.put("abc", 479470107);
  }

  @Test
  void murmur2MatchesKafkaVectors() {
    KAFKA_MURMUR2.forEach((key, expected) ->
        assertEquals(expected.intValue(), KeyPartitioner.murmur2(bytes(key)), "murmur2(" + key + ")"));
  }

  @Test
  void keyedPartitionIsKafkasToPositiveModulo() {
    DefaultPartitioner p = new DefaultPartitioner();
    // Expected values are Kafka's formula (hash & 0x7fffffff) % n worked out from the vectors above:
    // "foobar" -> 1357151166, "21" -> 1173551340, "abc" -> 479470107.
    assertEquals(16, p.partition("t", "foobar", bytes("foobar"), null, null, 50));
    assertEquals(1357151166 % 7, p.partition("t", "foobar", bytes("foobar"), null, null, 7));
    assertEquals(1173551340 % 3, p.partition("t", "21", bytes("21"), null, null, 3));
    assertEquals(479470107 % 12, p.partition("t", "abc", bytes("abc"), null, null, 12));
    KAFKA_MURMUR2.forEach((key, hash) -> {
      for (int n = 1; n <= 64; n++) {
        assertEquals((hash & 0x7fffffff) % n, p.partition("t", key, bytes(key), null, null, n),
            key + " over " + n + " partitions");
      }
    });
  }

  @Test
  void emptyKeyIsKeyedButNullKeyIsLeftToTheProducer() {
    DefaultPartitioner p = new DefaultPartitioner();
    // Kafka hashes an empty key (murmur2 of zero bytes = 275646681) rather than spreading it.
    assertEquals(275646681 % 10, p.partition("t", "", new byte[0], null, null, 10));
    assertEquals(Partitioner.UNASSIGNED, p.partition("t", null, null, "v", bytes("v"), 10));
  }

  @Test
  void roundRobinSpreadsExactlyEvenly() {
    RoundRobinPartitioner p = new RoundRobinPartitioner();
    int[] counts = new int[7];
    for (int i = 0; i < 7 * 1000; i++) {
      counts[p.partition("t", "same-key", bytes("same-key"), null, null, 7)]++;
    }
    for (int c : counts) {
      assertEquals(1000, c);
    }
    // Topics have separate counters.
    assertEquals(0, p.partition("other", null, null, null, null, 7));
    assertTrue(p.partition("t", null, null, null, null, 7) >= 0);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
