package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.errors.NoOffsetForPartitionException;
import dev.runnel.client.errors.WakeupException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MockConsumerTest {
  private static final TopicPartition TP = new TopicPartition("orders", 0);

  @Test
  void pollReturnsAddedRecordsAndAdvancesThePosition() {
    MockConsumer<String, String> c = new MockConsumer<>("earliest");
    c.assign(List.of(TP));
    c.updateBeginningOffsets(Map.of(TP, 0L));
    c.addRecord(new ConsumerRecord<>("orders", 0, 0, "k0", "v0"));
    c.addRecord(new ConsumerRecord<>("orders", 0, 1, "k1", "v1"));
    ConsumerRecords<String, String> rs = c.poll(Duration.ZERO);
    assertEquals(2, rs.count());
    assertEquals(2L, c.position(TP));
    assertTrue(c.poll(Duration.ZERO).isEmpty());
  }

  @Test
  void seekPauseWakeupAndPollExceptions() {
    MockConsumer<String, String> c = new MockConsumer<>("latest");
    c.assign(List.of(TP));
    c.seek(TP, 1);
    c.addRecord(new ConsumerRecord<>("orders", 0, 0, "k0", "v0"));
    c.addRecord(new ConsumerRecord<>("orders", 0, 1, "k1", "v1"));
    c.pause(List.of(TP));
    assertTrue(c.poll(Duration.ZERO).isEmpty());
    c.resume(List.of(TP));
    assertEquals(1, c.poll(Duration.ZERO).records(TP).get(0).offset());
    c.wakeup();
    assertThrows(WakeupException.class, () -> c.poll(Duration.ZERO));
    c.setPollException(new IllegalStateException("injected"));
    assertThrows(IllegalStateException.class, () -> c.poll(Duration.ZERO));
    assertTrue(c.poll(Duration.ZERO).isEmpty(), "exceptions fire once");
  }

  @Test
  void subscriptionAssignsEveryPartitionOfMatchingTopics() {
    MockConsumer<String, String> c = new MockConsumer<>("none");
    c.subscribe(List.of("orders"));
    c.updatePartitions("orders", 3);
    c.updatePartitions("other", 2);
    assertEquals(3, c.assignment().size());
    assertThrows(NoOffsetForPartitionException.class, () -> c.poll(Duration.ZERO));
    c.subscribe(java.util.regex.Pattern.compile("o.*"));
    assertEquals(Set.of(TP, new TopicPartition("orders", 1), new TopicPartition("orders", 2),
        new TopicPartition("other", 0), new TopicPartition("other", 1)), c.assignment());
  }
}
