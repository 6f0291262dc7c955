package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.serialization.StringDeserializer;
import dev.runnel.client.serialization.StringSerializer;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-key order and exactly-once storage while the leader of a partition is stopped in the middle of
 * a long send: the producer must retry to the new leader, in order, without duplicates.
 */
class LeaderChangeClusterTest {
  @TempDir Path dir;

  @Test
  void perKeyOrderHoldsWhileTheLeaderChanges() throws Exception {
    int keys = 30;
    int rounds = 60;
    int perRound = 25;
    try (LocalCluster cluster = LocalCluster.start(3, dir);
        Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(cluster.bootstrap()).build())) {
      admin.createTopic("failover", 3, 3);
      String bootstrap = cluster.bootstrap();
      List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
      int stopped = -1;
      try (Producer<String, String> p = new RunnelProducer<>(ProducerConfig.builder()
          .bootstrapServers(bootstrap).linger(Duration.ofMillis(2)).retryBackoff(Duration.ofMillis(50))
          .keySerializer(new StringSerializer()).valueSerializer(new StringSerializer()).build())) {
        int seq = 0;
        for (int round = 0; round < rounds; round++) {
          if (round == rounds / 3) {
            stopped = admin.describeTopic("failover").partitions().get(0).leaderId();
            cluster.stopBroker(stopped);
          }
          for (int i = 0; i < perRound; i++, seq++) {
            String key = "key-" + (seq % keys);
            fs.add(p.send(new ProducerRecord<>("failover", key, key + "#" + seq)));
          }
          Thread.sleep(50);
        }
        for (CompletableFuture<RecordMetadata> f : fs) {
          f.get(120, TimeUnit.SECONDS);
        }
      }
      assertTrue(stopped >= 0);
      int newLeader = admin.describeTopic("failover").partitions().get(0).leaderId();
      assertTrue(newLeader >= 0 && newLeader != stopped, "partition 0 moved to another leader: "
          + newLeader);
      int total = rounds * perRound;
      try (Consumer<String, String> c = new RunnelConsumer<>(ConsumerConfig.builder()
          .bootstrapServers(cluster.bootstrap()).autoOffsetReset("earliest")
          .keyDeserializer(new StringDeserializer()).valueDeserializer(new StringDeserializer()).build())) {
        c.subscribe(List.of("failover"));
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (got.size() < total && System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        c.poll(Duration.ofMillis(500)).forEach(got::add);
        Set<String> distinct = new HashSet<>();
        Map<String, Integer> last = new HashMap<>();
        for (ConsumerRecord<String, String> r : got) {
          assertTrue(distinct.add(r.value()), "duplicate " + r.value());
          int s = Integer.parseInt(r.value().substring(r.value().indexOf('#') + 1));
          Integer prev = last.put(r.key(), s);
          assertTrue(prev == null || prev < s, r.key() + " out of order: " + prev + " then " + s);
        }
        assertEquals(total, got.size(), "every acknowledged record is stored exactly once");
      }
    }
  }
}
