package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.errors.ConfigException;
import dev.runnel.client.serialization.StringSerializer;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

  private static Properties base() {
    Properties p = new Properties();
    p.put("bootstrap.servers", "a:1,b:2");
    return p;
  }

  private static String error(Properties p) {
    return assertThrows(ConfigException.class, () -> new ProducerConfig(p)).getMessage();
  }

  @Test
  void defaultsAreDurableAndKafkaLike() {
    ProducerConfig c = new ProducerConfig(base());
    assertEquals(Acks.MAJORITY, c.acks());
    assertTrue(c.idempotence());
    assertEquals(5, c.lingerMs());
    assertEquals(128 * 1024, c.batchSize());
    assertEquals(32L << 20, c.bufferMemory());
    assertEquals(5, c.maxInFlight());
    assertEquals(CompressionType.NONE, c.compression());
    assertEquals(120_000, c.deliveryTimeoutMs());
    assertEquals(30_000, c.requestTimeoutMs());
    assertEquals(Integer.MAX_VALUE, c.retries());
    assertEquals(60_000, c.maxBlockMs());
    assertTrue(c.partitioner() instanceof DefaultPartitioner);
    assertEquals(2, c.bootstrapServers().size());
  }

  @Test
  void acksAcceptsKafkaSpellings() {
    String[][] cases = {{"all", "ALL"}, {"-1", "ALL"}, {"1", "MAJORITY"}, {"majority", "MAJORITY"},
        {"0", "NONE"}, {"none", "NONE"}, {"ALL", "ALL"}};
    for (String[] c : cases) {
      Properties p = base();
      p.put("acks", c[0]);
      p.put("enable.idempotence", "false");
      assertEquals(Acks.valueOf(c[1]), new ProducerConfig(p).acks(), "acks=" + c[0]);
    }
    Properties p = base();
    p.put("acks", "2");
    assertTrue(error(p).contains("acks"), error(p));
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    String[][] cases = {
        {"linger.ms", "-1", "linger.ms"},
        {"batch.size", "lots", "batch.size"},
        {"buffer.memory", "10", "buffer.memory"},
        {"compression.type", "gzip", "compression.type"},
        {"max.in.flight.requests.per.connection", "0", "max.in.flight"},
        {"enable.idempotence", "yes", "enable.idempotence"},
        {"bootstrap.servers", "localhost", "bootstrap.servers"},
        {"bootstrap.servers", "h:70000", "bootstrap.servers"},
        {"partitioner.class", "java.lang.String", "partitioner.class"},
        {"partitioner.class", "no.such.Class", "partitioner.class"},
        {"lingr.ms", "5", "lingr.ms"},
    };
    for (String[] c : cases) {
      Properties p = base();
      p.put(c[0], c[1]);
      String msg = error(p);
      assertTrue(msg.contains(c[2]), c[0] + "=" + c[1] + " gave: " + msg);
    }
    Properties missing = new Properties();
    assertTrue(error(missing).contains("bootstrap.servers"));
  }

  @Test
  void deliveryTimeoutMustCoverLingerAndRequestTimeout() {
    Properties p = base();
    p.put("delivery.timeout.ms", "1000");
    p.put("request.timeout.ms", "2000");
    assertTrue(error(p).contains("delivery.timeout.ms"));
  }

  @Test
  void idempotenceConflictsFailWhenExplicitAndYieldWhenDefault() {
    Properties p = base();
    p.put("acks", "none");
    assertFalse(new ProducerConfig(p).idempotence(), "the default yields to acks=none");
    p.put("enable.idempotence", "true");
    assertTrue(error(p).contains("acks=none"));

    Properties q = base();
    q.put("max.in.flight.requests.per.connection", "6");
    assertFalse(new ProducerConfig(q).idempotence());
    q.put("enable.idempotence", "true");
    assertTrue(error(q).contains("at most 5"));

    Properties r = base();
    r.put("retries", "0");
    r.put("enable.idempotence", "true");
    assertTrue(error(r).contains("retries=0"));
  }

  @Test
  void builderAndPropertiesShareValidation() {
    ProducerConfig c = ProducerConfig.builder().bootstrapServers("x:9").acks(Acks.ALL)
        .compression(CompressionType.ZSTD).keySerializer(new StringSerializer()).build();
    assertEquals(Acks.ALL, c.acks());
    assertEquals(CompressionType.ZSTD, c.compression());
    assertTrue(c.keySerializer() instanceof StringSerializer);
    assertThrows(ConfigException.class, () -> ProducerConfig.builder().bootstrapServers("x:9")
        .batchSize(0).build());

    Properties p = base();
    p.put("key.serializer", StringSerializer.class.getName());
    assertTrue(new ProducerConfig(p).keySerializer() instanceof StringSerializer);
  }

  @Test
  void describeDocumentsEveryKey() {
    String doc = ProducerConfig.describe();
    for (String key : new String[] {"bootstrap.servers", "acks", "linger.ms", "batch.size",
        "buffer.memory", "max.in.flight.requests.per.connection", "compression.type",
        "delivery.timeout.ms", "request.timeout.ms", "retries", "retry.backoff.ms", "max.block.ms",
        "enable.idempotence", "partitioner.class", "key.serializer", "value.serializer", "client.id",
        "metadata.max.age.ms"}) {
      assertTrue(doc.contains("`" + key + "`"), key);
    }
  }
}
