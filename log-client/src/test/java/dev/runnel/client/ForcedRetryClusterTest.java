package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.serialization.StringDeserializer;
import dev.runnel.client.serialization.StringSerializer;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retry after a lost response: the broker stored the batch but the producer never heard, so it
 * sends the same batch again. With idempotence the broker answers "duplicate" with the original
 * offset and the batch is stored once; without it, the same loss stores the records twice (which
 * shows the test really exercises the retry).
 */
class ForcedRetryClusterTest {
  @TempDir Path dir;

  @Test
  void lostResponseRetryIsStoredOnceWithIdempotenceAndTwiceWithout() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir);
        Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(cluster.bootstrap()).build());
        LossyProxy proxy = new LossyProxy(cluster.bootstrap())) {
      admin.createTopic("once", 1, 1);
      admin.createTopic("twice", 1, 1);

      List<RecordMetadata> acked = new ArrayList<>();
      try (Producer<String, String> p = producer(proxy, true)) {
        proxy.produceResponsesToLose.set(1);
        acked.add(p.send(new ProducerRecord<>("once", "k", "first")).get(60, TimeUnit.SECONDS));
        // A bigger batch whose response is lost twice in a row.
        proxy.produceResponsesToLose.set(2);
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          fs.add(p.send(new ProducerRecord<>("once", "k", "v" + i)));
        }
        p.flush();
        for (CompletableFuture<RecordMetadata> f : fs) {
          acked.add(f.get(60, TimeUnit.SECONDS));
        }
      }
      assertTrue(proxy.producesForwarded.get() >= 5, "the broker saw the retries: "
          + proxy.producesForwarded.get());
      List<Long> offsets = new ArrayList<>();
      acked.forEach(md -> offsets.add(md.offset()));
      assertEquals(21, new HashSet<>(offsets).size(), "distinct offsets: " + offsets);
      assertEquals(0L, offsets.get(0), "the retry reports the original offset");
      assertEquals(20L, offsets.get(20));
      List<String> stored = readAll(cluster, "once", 21);
      assertEquals(21, stored.size(), "stored once: " + stored);
      assertEquals("first", stored.get(0));

      try (Producer<String, String> p = producer(proxy, false)) {
        proxy.produceResponsesToLose.set(1);
        p.send(new ProducerRecord<>("twice", "k", "only-once-sent")).get(60, TimeUnit.SECONDS);
      }
      assertEquals(List.of("only-once-sent", "only-once-sent"), readAll(cluster, "twice", 2));
    }
  }

  /**
   * The chaos tests' duplicate: a batch is stored but its answer is lost only after later batches of
   * the same producer and partition went on and were stored, so when it is retried the broker no
   * longer recognises it (it remembers 5 batches per producer) and rejects it as out of sequence.
   * The producer must not take that as "not stored" and re-send the batch under a fresh producer id.
   */
  @Test
  void batchAnsweredLateAfterLaterBatchesIsNeverStoredTwice() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir);
        Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(cluster.bootstrap()).build());
        LossyProxy proxy = new LossyProxy(cluster.bootstrap())) {
      admin.createTopic("late", 1, 1);
      CompletableFuture<RecordMetadata> late;
      try (Producer<String, String> p = producer(proxy, true)) {
        p.send(new ProducerRecord<>("late", "k", "first")).get(60, TimeUnit.SECONDS);
        proxy.produceResponsesToHold.set(1);
        late = p.send(new ProducerRecord<>("late", "k", "late"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (proxy.heldCount() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(1, proxy.heldCount(), "the proxy holds the answer for 'late'");
        for (int i = 0; i < 8; i++) {
          assertEquals(2 + i, p.send(new ProducerRecord<>("late", "k", "after" + i)).get(60, TimeUnit.SECONDS)
              .offset());
        }
        proxy.loseHeld();
        try {
          assertEquals(1, late.get(60, TimeUnit.SECONDS).offset(), "acknowledged: only at its first offset");
        } catch (ExecutionException e) {
          assertTrue(e.getCause().getMessage().contains("may have been stored"), e.getCause().toString());
        }
      }
      List<String> stored = readAll(cluster, "late", 10);
      assertEquals(1, java.util.Collections.frequency(stored, "late"), "stored once: " + stored);
      assertEquals(10, stored.size(), stored.toString());
    }
  }

  private static Producer<String, String> producer(LossyProxy proxy, boolean idempotent) {
    return new RunnelProducer<>(ProducerConfig.builder().bootstrapServers(proxy.address())
        .enableIdempotence(idempotent).linger(Duration.ZERO).retryBackoff(Duration.ofMillis(20))
        .keySerializer(new StringSerializer()).valueSerializer(new StringSerializer()).build());
  }

  /** Reads the topic from the broker directly (not through the proxy), waiting a moment for more. */
  private static List<String> readAll(LocalCluster cluster, String topic, int expected) {
    try (Consumer<String, String> c = new RunnelConsumer<>(ConsumerConfig.builder()
        .bootstrapServers(cluster.bootstrap()).autoOffsetReset("earliest")
        .keyDeserializer(new StringDeserializer()).valueDeserializer(new StringDeserializer()).build())) {
      c.assign(List.of(new TopicPartition(topic, 0)));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      // Anything beyond the expected count would be a duplicate: give it a chance to show up.
      c.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      assertEquals(Map.of(new TopicPartition(topic, 0), (long) values.size()),
          c.endOffsets(List.of(new TopicPartition(topic, 0))));
      return values;
    }
  }
}
