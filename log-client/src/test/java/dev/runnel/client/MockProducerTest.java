package dev.runnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.serialization.StringSerializer;
import dev.runnel.protocol.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class MockProducerTest {

  @Test
  void recordsHistoryAndPartitionsLikeTheRealProducer() throws Exception {
    MockProducer<String, String> p = new MockProducer<>(true, new StringSerializer(),
        new StringSerializer());
    p.setPartitionCount("orders", 6);
    RecordMetadata md = p.send(new ProducerRecord<>("orders", "customer-42", "a")).get();
    assertEquals(KeyPartitioner.partition("customer-42".getBytes(StandardCharsets.UTF_8), 6),
        md.partition());
    assertEquals(0, md.offset());
    assertEquals(1, p.send(new ProducerRecord<>("orders", "customer-42", "b")).get().offset());
    assertEquals(3, p.send(new ProducerRecord<>("orders", 3, "k", "c")).get().partition());
    assertEquals(3, p.history().size());
    assertEquals(6, p.partitionsFor("orders").size());
  }

  @Test
  void manualCompletionAndErrors() {
    MockProducer<String, String> p = new MockProducer<>(false, new StringSerializer(),
        new StringSerializer());
    List<Exception> callbackErrors = new ArrayList<>();
    CompletableFuture<RecordMetadata> a = p.send(new ProducerRecord<>("t", "a"));
    CompletableFuture<RecordMetadata> b = p.send(new ProducerRecord<>("t", "b"),
        (md, e) -> callbackErrors.add(e));
    assertFalse(a.isDone());
    assertEquals(2, p.pendingCount());
    assertTrue(p.completeNext());
    assertTrue(a.isDone());
    assertTrue(p.errorNext(new TimeoutException("down")));
    ExecutionException e = assertThrows(ExecutionException.class, b::get);
    assertTrue(e.getCause() instanceof TimeoutException);
    assertTrue(callbackErrors.get(0) instanceof TimeoutException);
    assertFalse(p.completeNext());

    p.send(new ProducerRecord<>("t", "c"));
    p.flush();
    assertTrue(p.flushed());
    assertEquals(0, p.pendingCount());
    p.close();
    assertThrows(IllegalStateException.class, () -> p.send(new ProducerRecord<>("t", "d")));
  }
}
