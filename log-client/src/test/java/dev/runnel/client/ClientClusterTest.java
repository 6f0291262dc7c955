package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.runnel.client.errors.InvalidTopicException;
import dev.runnel.client.errors.OffsetOutOfRangeException;
import dev.runnel.client.errors.RecordDeserializationException;
import dev.runnel.client.errors.TopicExistsException;
import dev.runnel.client.errors.UnknownTopicOrPartitionException;
import dev.runnel.client.serialization.ByteArraySerializer;
import dev.runnel.client.serialization.Deserializer;
import dev.runnel.client.serialization.IntegerDeserializer;
import dev.runnel.client.serialization.JsonDeserializer;
import dev.runnel.client.serialization.JsonSerializer;
import dev.runnel.client.serialization.ProtobufDeserializer;
import dev.runnel.client.serialization.ProtobufSerializer;
import dev.runnel.client.serialization.Serializer;
import dev.runnel.client.serialization.StringDeserializer;
import dev.runnel.client.serialization.StringSerializer;
import dev.runnel.protocol.KeyPartitioner;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java client against a real three-broker cluster (LocalCluster: real Ratis, RocksDB and gRPC in
 * one JVM). The brokers are shared by the tests of this class; each test uses its own topics.
 */
class ClientClusterTest {
  @TempDir static Path dir;
  static LocalCluster cluster;
  static Admin admin;

  /** An application event type for the JSON round trip. */
  public record Order(String id, int cents) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(3, dir);
    admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(cluster.bootstrap()).build());
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static <K, V> Producer<K, V> producer(Serializer<K> k, Serializer<V> v, Map<String, Object> extra) {
    ProducerConfig.Builder b = ProducerConfig.builder().bootstrapServers(cluster.bootstrap())
        .keySerializer(k).valueSerializer(v).maxBlock(Duration.ofSeconds(20));
    extra.forEach(b::set);
    return new RunnelProducer<>(b.build());
  }

  static <K, V> Consumer<K, V> consumer(Deserializer<K> k, Deserializer<V> v, String reset,
      Map<String, Object> extra) {
    ConsumerConfig.Builder b = ConsumerConfig.builder().bootstrapServers(cluster.bootstrap())
        .autoOffsetReset(reset).keyDeserializer(k).valueDeserializer(v);
    extra.forEach(b::set);
    return new RunnelConsumer<>(b.build());
  }

  /** Polls until {@code done} holds for what was read so far, for at most {@code timeout}. */
  static <K, V> List<ConsumerRecord<K, V>> pollUntil(Consumer<K, V> c, Duration timeout,
      Predicate<List<ConsumerRecord<K, V>>> done) {
    List<ConsumerRecord<K, V>> got = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(got) && System.nanoTime() < deadline) {
      c.poll(Duration.ofMillis(200)).forEach(got::add);
    }
    return got;
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void produceAndConsumeRoundTripWithEachCodec(CompressionType codec) throws Exception {
    String topic = "round-trip-" + codec.name().toLowerCase();
    admin.createTopic(topic, 2, 3);
    List<RecordMetadata> acked = new ArrayList<>();
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
        Map.of("compression.type", codec.name(), "acks", "all"))) {
      List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, null, 1_700_000_000_000L + i,
            i % 7 == 0 ? null : "k" + i, i % 11 == 0 ? null : "v" + i,
            new Headers().add("trace", "t" + i).add("empty", (byte[]) null));
        fs.add(p.send(r));
      }
      for (CompletableFuture<RecordMetadata> f : fs) {
        acked.add(f.get(30, TimeUnit.SECONDS));
      }
    }
    assertEquals(200, new HashSet<>(acked).size(), "every record got its own offset");
    try (Consumer<String, String> c = consumer(new StringDeserializer(), new StringDeserializer(),
        "earliest", Map.of())) {
      c.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> got = pollUntil(c, Duration.ofSeconds(30), l -> l.size() >= 200);
      assertEquals(200, got.size());
      Map<String, ConsumerRecord<String, String>> byTrace = new HashMap<>();
      got.forEach(r -> byTrace.put(r.headers().lastHeader("trace").valueAsString(), r));
      for (int i = 0; i < 200; i++) {
        ConsumerRecord<String, String> r = byTrace.get("t" + i);
        assertEquals(i % 7 == 0 ? null : "k" + i, r.key());
        assertEquals(i % 11 == 0 ? null : "v" + i, r.value());
        assertEquals(1_700_000_000_000L + i, r.timestamp());
        assertNull(r.headers().lastHeader("empty").value());
        RecordMetadata md = acked.get(i);
        assertEquals(md.partition(), r.partition());
        assertEquals(md.offset(), r.offset());
      }
    }
  }

  @Test
  void keyedRecordsLandInKafkasPartitionAndAreReadInOrder() throws Exception {
    String topic = "keyed";
    int partitions = 5;
    admin.createTopic(topic, partitions, 3);
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
        Map.of("linger.ms", 20L))) {
      List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        String key = "customer-" + (i % 40);
        fs.add(p.send(new ProducerRecord<>(topic, key, key + "#" + i)));
      }
      for (int i = 0; i < fs.size(); i++) {
        String key = "customer-" + (i % 40);
        int kafkaPartition = (KeyPartitioner.murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff)
            % partitions;
        assertEquals(kafkaPartition, fs.get(i).get(30, TimeUnit.SECONDS).partition(), key);
      }
    }
    try (Consumer<String, String> c = consumer(new StringDeserializer(), new StringDeserializer(),
        "earliest", Map.of("max.poll.records", 37))) {
      c.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> got = pollUntil(c, Duration.ofSeconds(30),
          l -> l.size() >= 1_000);
      assertEquals(1_000, got.size());
      Map<String, Integer> lastSeen = new HashMap<>();
      for (ConsumerRecord<String, String> r : got) {
        int seq = Integer.parseInt(r.value().substring(r.value().indexOf('#') + 1));
        Integer prev = lastSeen.put(r.key(), seq);
        assertTrue(prev == null || prev < seq, "per-key order broken for " + r.key() + ": " + prev
            + " then " + seq);
      }
    }
  }

  @Test
  void unkeyedRecordsSpreadEvenly() throws Exception {
    String topic = "unkeyed";
    admin.createTopic(topic, 3, 3);
    int[] perBatch = new int[3];
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
        Map.of("linger.ms", 0L))) {
      // One record per batch (each send waits), so per-batch round robin alternates exactly.
      for (int i = 0; i < 90; i++) {
        perBatch[p.send(new ProducerRecord<>(topic, "v" + i)).get(30, TimeUnit.SECONDS).partition()]++;
      }
    }
    assertEquals(List.of(30, 30, 30), List.of(perBatch[0], perBatch[1], perBatch[2]));

    int[] perRecord = new int[3];
    try (Producer<String, String> p = new RunnelProducer<>(ProducerConfig.builder()
        .bootstrapServers(cluster.bootstrap()).keySerializer(new StringSerializer())
        .valueSerializer(new StringSerializer()).partitioner(new RoundRobinPartitioner()).build())) {
      List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        fs.add(p.send(new ProducerRecord<>(topic, "v" + i)));
      }
      for (CompletableFuture<RecordMetadata> f : fs) {
        perRecord[f.get(30, TimeUnit.SECONDS).partition()]++;
      }
    }
    assertEquals(List.of(100, 100, 100), List.of(perRecord[0], perRecord[1], perRecord[2]));
  }

  @Test
  void oneConsumerOnThreeTopicsAndOnAPatternSeesEveryRecordExactlyOnce() throws Exception {
    List<String> topics = List.of("multi-a", "multi-b", "multi-c");
    for (String t : topics) {
      admin.createTopic(t, 2, 3);
    }
    admin.createTopic("other-topic", 1, 1);
    Set<String> expected = new HashSet<>();
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(), Map.of())) {
      for (int i = 0; i < 300; i++) {
        String t = topics.get(i % 3);
        p.send(new ProducerRecord<>(t, "k" + i, t + ":" + i));
        expected.add(t + ":" + i);
      }
      p.send(new ProducerRecord<>("other-topic", "x", "not for us"));
      p.flush();
    }
    try (Consumer<String, String> c = consumer(new StringDeserializer(), new StringDeserializer(),
        "earliest", Map.of())) {
      c.subscribe(topics);
      assertExactlyOnce(expected, pollUntil(c, Duration.ofSeconds(30), l -> l.size() >= 300));
      assertEquals(6, c.assignment().size());
    }
    try (Consumer<String, String> c = consumer(new StringDeserializer(), new StringDeserializer(),
        "earliest", Map.of("metadata.max.age.ms", 300L))) {
      c.subscribe(Pattern.compile("multi-.*"));
      assertExactlyOnce(expected, pollUntil(c, Duration.ofSeconds(30), l -> l.size() >= 300));
      // A topic created later that matches the pattern is picked up on a metadata refresh.
      admin.createTopic("multi-d", 1, 1);
      try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
          Map.of())) {
        p.send(new ProducerRecord<>("multi-d", "k", "late")).get(30, TimeUnit.SECONDS);
      }
      List<ConsumerRecord<String, String>> late = pollUntil(c, Duration.ofSeconds(30), l -> !l.isEmpty());
      assertEquals(1, late.size());
      assertEquals("late", late.get(0).value());
      assertTrue(c.assignment().contains(new TopicPartition("multi-d", 0)));
    }
  }

  private static void assertExactlyOnce(Set<String> expected, List<ConsumerRecord<String, String>> got) {
    List<String> values = new ArrayList<>();
    got.forEach(r -> values.add(r.value()));
    assertEquals(expected.size(), values.size(), "count");
    assertEquals(expected, new HashSet<>(values));
  }

  @Test
  void jsonAndProtobufValuesRoundTrip() throws Exception {
    admin.createTopic("json-orders", 1, 3);
    admin.createTopic("proto-events", 1, 3);
    Struct event = Struct.newBuilder().putFields("kind", Value.newBuilder().setStringValue("paid").build())
        .putFields("amount", Value.newBuilder().setNumberValue(12.5).build()).build();
    try (Producer<String, Order> pj = producer(new StringSerializer(), new JsonSerializer<>(), Map.of());
        Producer<String, Struct> pp = producer(new StringSerializer(), new ProtobufSerializer<>(),
            Map.of())) {
      pj.send(new ProducerRecord<>("json-orders", "o-1", new Order("o-1", 1299))).get(30, TimeUnit.SECONDS);
      pp.send(new ProducerRecord<>("proto-events", "e-1", event)).get(30, TimeUnit.SECONDS);
    }
    try (Consumer<String, Order> cj = consumer(new StringDeserializer(),
        new JsonDeserializer<>(Order.class), "earliest", Map.of());
        Consumer<String, Struct> cp = consumer(new StringDeserializer(),
            new ProtobufDeserializer<>(Struct.parser()), "earliest", Map.of())) {
      cj.subscribe(List.of("json-orders"));
      cp.subscribe(List.of("proto-events"));
      assertEquals(new Order("o-1", 1299),
          pollUntil(cj, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0).value());
      assertEquals(event, pollUntil(cp, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0).value());
    }
  }

  @Test
  void poisonRecordIsReportedWithItsOffsetAndCanBeSkipped() throws Exception {
    String topic = "poison";
    admin.createTopic(topic, 1, 3);
    try (Producer<byte[], byte[]> p = producer(new ByteArraySerializer(), new ByteArraySerializer(),
        Map.of())) {
      for (int i = 0; i < 5; i++) {
        byte[] value = i == 2 ? new byte[] {9, 9} : new byte[] {0, 0, 0, (byte) i};
        p.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
      }
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Consumer<String, Integer> c = consumer(new StringDeserializer(), new IntegerDeserializer(),
        "earliest", Map.of())) {
      c.assign(List.of(tp));
      List<Integer> values = new ArrayList<>();
      RecordDeserializationException poison = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < 4 && System.nanoTime() < deadline) {
        try {
          c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        } catch (RecordDeserializationException e) {
          poison = e;
          assertEquals(2, c.position(tp), "the position stays on the poison record");
          c.seek(e.topicPartition(), e.offset() + 1);
        }
      }
      assertEquals(List.of(0, 1, 3, 4), values);
      assertEquals(tp, poison.topicPartition());
      assertEquals(2, poison.offset());
    }
  }

  @Test
  void offsetsSeeksAndOutOfRange() throws Exception {
    String topic = "offsets";
    admin.createTopic(topic, 1, 3);
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
        Map.of("linger.ms", 0L))) {
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>(topic, null, 1_000L * (i + 1), "k", "v" + i, null))
            .get(30, TimeUnit.SECONDS);
      }
    }
    try (Consumer<String, String> c = consumer(new StringDeserializer(), new StringDeserializer(),
        "none", Map.of())) {
      assertEquals(Map.of(tp, 0L), c.beginningOffsets(List.of(tp)));
      assertEquals(Map.of(tp, 10L), c.endOffsets(List.of(tp)));
      OffsetAndTimestamp at = c.offsetsForTimes(Map.of(tp, 4_500L)).get(tp);
      assertEquals(4, at.offset(), "first batch with a timestamp at or after 4500 is offset 4's");
      assertNull(c.offsetsForTimes(Map.of(tp, 999_999L)).get(tp));
      assertEquals(1, c.partitionsFor(topic).size());
      assertTrue(c.partitionsFor("no-such-topic").isEmpty());

      c.assign(List.of(tp));
      c.seekToEnd(List.of());
      assertEquals(10, c.position(tp));
      c.seek(tp, 7);
      assertEquals("v7", pollUntil(c, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0).value());
      c.seek(tp, 50);
      OffsetOutOfRangeException e = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (e == null && System.nanoTime() < deadline) {
        try {
          c.poll(Duration.ofMillis(200));
        } catch (OffsetOutOfRangeException x) {
          e = x;
        }
      }
      assertEquals(tp, e.partition());
      assertEquals(50, e.offset());
      assertTrue(e.getMessage().contains("[0, 10]"), e.getMessage());
      c.seekToBeginning(List.of(tp));
      assertEquals("v0", pollUntil(c, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0).value());
    }
  }

  @Test
  void adminManagesTopicsAndDescribesTheCluster() {
    TopicDescription d = admin.createTopic("admin-t", 4, 2, Map.of("retention.ms", "3600000"));
    assertEquals(4, d.partitions().size());
    assertEquals(2, d.replicationFactor());
    assertEquals("3600000", d.configs().get("retention.ms"));
    d.partitions().forEach(p -> assertEquals(2, p.replicas().size()));
    assertThrows(TopicExistsException.class, () -> admin.createTopic("admin-t", 1, 1));
    assertThrows(InvalidTopicException.class, () -> admin.createTopic("bad name!", 1, 1));
    assertTrue(admin.listTopics().stream().anyMatch(t -> t.name().equals("admin-t")
        && t.partitions() == 4));
    Map<String, String> after = admin.alterTopicConfig("admin-t", Map.of("retention.ms", "60000"),
        List.of());
    assertEquals("60000", after.get("retention.ms"));
    // Any broker may answer a describe from its own metadata replica, which can trail the
    // controller by a moment; the change must show up everywhere soon.
    LocalCluster.waitFor(Duration.ofSeconds(10), "altered config visible on every broker", () ->
        "60000".equals(admin.describeTopic("admin-t").configs().get("retention.ms"))
            && "60000".equals(admin.describeTopic("admin-t").configs().get("retention.ms"))
            && "60000".equals(admin.describeTopic("admin-t").configs().get("retention.ms")));
    ClusterDescription cd = admin.describeCluster();
    assertEquals(3, cd.brokers().size());
    assertTrue(cd.controllerId() >= 0);
    admin.deleteTopic("admin-t");
    LocalCluster.waitFor(Duration.ofSeconds(10), "deleted topic gone on every broker", () ->
        admin.listTopics().stream().noneMatch(t -> t.name().equals("admin-t"))
            && admin.listTopics().stream().noneMatch(t -> t.name().equals("admin-t"))
            && admin.listTopics().stream().noneMatch(t -> t.name().equals("admin-t")));
    assertThrows(UnknownTopicOrPartitionException.class, () -> admin.describeTopic("admin-t"));
  }

  @Test
  void idleClientsDoNotSpin() throws Exception {
    ProducerConfig pc = ProducerConfig.builder().bootstrapServers(cluster.bootstrap())
        .clientId("idle").metadataMaxAge(Duration.ofMillis(100)).keySerializer(new StringSerializer())
        .valueSerializer(new StringSerializer()).build();
    ConsumerConfig cc = ConsumerConfig.builder().bootstrapServers(cluster.bootstrap()).clientId("idle")
        .metadataMaxAge(Duration.ofMillis(100)).keyDeserializer(new StringDeserializer())
        .valueDeserializer(new StringDeserializer()).build();
    try (Producer<String, String> p = new RunnelProducer<>(pc);
        Consumer<String, String> c = new RunnelConsumer<>(cc)) {
      Thread.sleep(500);
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      Map<String, Long> before = cpuByName(mx, "runnel-producer-io-idle", "runnel-consumer-fetch-idle");
      Thread.sleep(2_000);
      Map<String, Long> after = cpuByName(mx, "runnel-producer-io-idle", "runnel-consumer-fetch-idle");
      assertEquals(2, after.size(), "both client threads found: " + after.keySet());
      after.forEach((name, cpu) -> assertTrue(cpu - before.get(name) < TimeUnit.MILLISECONDS.toNanos(300),
          name + " used " + TimeUnit.NANOSECONDS.toMillis(cpu - before.get(name)) + " ms CPU in 2 s idle"));
    }
  }

  @Test
  void metadataIsNotDueWhenNothingNeedsItAndRefreshesWhenTopicsAppear() throws Exception {
    dev.runnel.client.internals.net.ChannelPool pool =
        new dev.runnel.client.internals.net.ChannelPool(1 << 20, "md-test");
    try {
      dev.runnel.client.internals.net.Metadata md = new dev.runnel.client.internals.net.Metadata(
          ProducerConfig.builder().bootstrapServers(cluster.bootstrap()).build().bootstrapServers(),
          pool, dev.runnel.client.internals.Time.SYSTEM, 100, 10, 5_000);
      long now = System.nanoTime() / 1_000_000;
      assertEquals(0, md.timeToNextUpdate(now), "a new cache wants its first refresh at once");
      assertTrue(md.awaitUpdate(md.attempts(), now + 10_000));
      assertEquals(3, md.view().brokers().size());
      Thread.sleep(150);
      // Older than metadata.max.age.ms, but no topic is tracked and nobody asked: not due, so the
      // client threads that wait on this value sleep instead of spinning.
      assertEquals(Long.MAX_VALUE, md.timeToNextUpdate(System.nanoTime() / 1_000_000));
      md.addTopics(List.of("keyed"));
      assertEquals(0, md.timeToNextUpdate(System.nanoTime() / 1_000_000));
    } finally {
      pool.close();
    }
  }

  private static Map<String, Long> cpuByName(java.lang.management.ThreadMXBean mx, String... names) {
    Map<String, Long> out = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (List.of(names).contains(t.getName())) {
        out.put(t.getName(), mx.getThreadCpuTime(t.getId()));
      }
    }
    return out;
  }

  @Test
  void sendToAMissingTopicFailsAfterMaxBlockWithAClearMessage() {
    try (Producer<String, String> p = producer(new StringSerializer(), new StringSerializer(),
        Map.of("max.block.ms", 1_000L))) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> p.send(new ProducerRecord<>("does-not-exist", "v")).get(30, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("'does-not-exist' not present in metadata after"
          + " 1000 ms"), e.getCause().getMessage());
      ExecutionException bad = assertThrows(ExecutionException.class,
          () -> p.send(new ProducerRecord<>("keyed", 99, "k", "v")).get(30, TimeUnit.SECONDS));
      assertFalse(bad.getCause().getMessage().isEmpty());
    }
  }
}
