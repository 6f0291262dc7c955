package dev.runnel.client.internals.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.producer.ProducerBatch.Thunk;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.proto.v1.BrokerInfo;
import dev.runnel.proto.v1.MetadataResponse;
import dev.runnel.proto.v1.PartitionMetadata;
import dev.runnel.proto.v1.TopicMetadata;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecordAccumulatorTest {
  private final AtomicLong nowMs = new AtomicLong(1_000);
  private final Time time = new Time() {
    @Override
    public long wallMs() {
      return nowMs.get();
    }

    @Override
    public long nanos() {
      return nowMs.get() * 1_000_000;
    }
  };
  private static final RecordAccumulator.SendGate OPEN = (tp, b) -> true;

  /** Topic "t" with {@code n} partitions; partition p led by broker p % 2. */
  static ClusterView view(int n) {
    TopicMetadata.Builder t = TopicMetadata.newBuilder().setName("t");
    for (int p = 0; p < n; p++) {
      t.addPartitions(PartitionMetadata.newBuilder().setPartition(p).setLeaderId(p % 2).addReplicas(p % 2));
    }
    return ClusterView.of(MetadataResponse.newBuilder()
        .addBrokers(BrokerInfo.newBuilder().setId(0).setHost("h0").setPort(1))
        .addBrokers(BrokerInfo.newBuilder().setId(1).setHost("h1").setPort(1))
        .addTopics(t).build());
  }

  private static RawRecord record(int valueBytes) {
    return new RawRecord(0, null, new byte[valueBytes], List.of());
  }

  private static Thunk thunk() {
    return new Thunk(new CompletableFuture<>(), null, 0);
  }

  private RecordAccumulator accumulator(int batchSize, long lingerMs, long memory) {
    return new RecordAccumulator(batchSize, lingerMs, new MemoryLimiter(memory), time,
        new StickyPartitions(new Random(1)));
  }

  @Test
  void batchBecomesReadyWhenFullOrAfterLinger() {
    RecordAccumulator acc = accumulator(1_000, 50, 1 << 20);
    ClusterView view = view(2);
    TopicPartition tp0 = new TopicPartition("t", 0);
    acc.append(tp0, record(100), thunk(), 0);
    RecordAccumulator.Ready r = acc.ready(view, nowMs.get(), OPEN);
    assertTrue(r.nodes().isEmpty(), "not full, linger not over");
    assertEquals(50, r.nextCheckDelayMs());
    nowMs.addAndGet(50);
    assertEquals(Set.of(0), acc.ready(view, nowMs.get(), OPEN).nodes());

    TopicPartition tp1 = new TopicPartition("t", 1);
    for (int i = 0; i < 10; i++) {
      acc.append(tp1, record(100), thunk(), 0);
    }
    assertEquals(Set.of(0, 1), acc.ready(view, nowMs.get(), OPEN).nodes(), "full batch is ready at once");
  }

  @Test
  void batchHeldBackByTheGateSetsNoDeadlineSoTheSenderSleepsUntilWoken() {
    RecordAccumulator acc = accumulator(1_000, 5, 1 << 20);
    acc.append(new TopicPartition("t", 0), record(100), thunk(), 0);
    nowMs.addAndGet(10);
    RecordAccumulator.Ready r = acc.ready(view(1), nowMs.get(), (tp, b) -> false);
    assertTrue(r.nodes().isEmpty());
    assertEquals(Long.MAX_VALUE, r.nextCheckDelayMs(), "no busy loop while e.g. a response is awaited");
  }

  @Test
  void drainTakesOneBatchPerPartitionWithinTheRequestSize() {
    RecordAccumulator acc = accumulator(300, 0, 1 << 20);
    ClusterView view = view(4);
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < 6; i++) {
        acc.append(new TopicPartition("t", p), record(100), thunk(), 0);
      }
    }
    Map<Integer, List<ProducerBatch>> drained = acc.drain(view, Set.of(0, 1), 1 << 20, nowMs.get(), OPEN);
    assertEquals(2, drained.get(0).size(), "partitions 0 and 2");
    assertEquals(2, drained.get(1).size(), "partitions 1 and 3");
    drained.values().forEach(l -> l.forEach(b -> assertTrue(b.isClosed())));

    Map<Integer, List<ProducerBatch>> small = acc.drain(view, Set.of(0), 1, nowMs.get(), OPEN);
    assertEquals(1, small.get(0).size(), "always at least one batch, even above max request size");
  }

  @Test
  void bufferFullBlocksSendThenTimesOutAndCompletedBatchesFreeMemory() {
    RecordAccumulator acc = accumulator(1_000, 0, 2_048);
    TopicPartition tp = new TopicPartition("t", 0);
    acc.append(tp, record(1_500), thunk(), 0);
    TimeoutException e = assertThrows(TimeoutException.class,
        () -> acc.append(tp, record(1_000), thunk(), 100));
    assertTrue(e.getMessage().contains("max.block.ms (100 ms)"), e.getMessage());

    ProducerBatch b = acc.drain(view(1), Set.of(0), 1 << 20, nowMs.get(), OPEN).get(0).get(0);
    b.complete(0);
    acc.deallocate(b);
    acc.append(tp, record(1_000), thunk(), 100);
    assertTrue(acc.hasQueued());
  }

  @Test
  void unkeyedRecordsStickToAPartitionPerBatchThenRotate() {
    RecordAccumulator acc = accumulator(1_000, 0, 1 << 20);
    ClusterView view = view(3);
    int[] batchesPerPartition = new int[3];
    for (int round = 0; round < 30; round++) {
      RecordAccumulator.AppendResult first = null;
      for (int i = 0; i < 5; i++) {
        RecordAccumulator.AppendResult r = acc.appendUnassigned("t", view, record(100), thunk(), 0);
        if (first == null) {
          first = r;
          assertTrue(r.newBatch(), "the first record after a drain opens a new batch");
        } else {
          assertEquals(first.tp(), r.tp(), "records of one open batch share a partition");
        }
      }
      batchesPerPartition[first.tp().partition()]++;
      // Sending the batch closes it, so the next record moves on to the next partition.
      acc.drain(view, Set.of(0, 1), 1 << 20, nowMs.get(), OPEN);
    }
    for (int n : batchesPerPartition) {
      assertEquals(10, n, "per-batch round robin spreads batches evenly");
    }
  }

  @Test
  void fullStickyBatchMovesToTheNextPartition() {
    RecordAccumulator acc = accumulator(250, 0, 1 << 20);
    ClusterView view = view(2);
    TopicPartition a = acc.appendUnassigned("t", view, record(100), thunk(), 0).tp();
    assertEquals(a, acc.appendUnassigned("t", view, record(100), thunk(), 0).tp());
    TopicPartition b = acc.appendUnassigned("t", view, record(100), thunk(), 0).tp();
    assertFalse(a.equals(b), "a record that does not fit moves to the next partition");
  }

  @Test
  void reenqueueKeepsSequenceOrder() {
    RecordAccumulator acc = accumulator(100, 0, 1 << 20);
    TopicPartition tp = new TopicPartition("t", 0);
    Idempotence idem = new Idempotence(true, 5, true);
    idem.setIdentity(new Idempotence.ProducerIdentity(7, 0));
    for (int i = 0; i < 3; i++) {
      acc.append(tp, record(100), thunk(), 0);
    }
    ClusterView view = view(1);
    ProducerBatch b0 = acc.drain(view, Set.of(0), 1 << 20, 0, OPEN).get(0).get(0);
    idem.prepare(b0, dev.runnel.proto.v1.Compression.COMPRESSION_NONE);
    ProducerBatch b1 = acc.drain(view, Set.of(0), 1 << 20, 0, OPEN).get(0).get(0);
    idem.prepare(b1, dev.runnel.proto.v1.Compression.COMPRESSION_NONE);
    acc.reenqueue(b1);
    acc.reenqueue(b0);
    acc.forEachQueued(tp, it -> {
      assertEquals(0, it.next().baseSequence());
      assertEquals(1, it.next().baseSequence());
      assertFalse(it.next().hasSequence(), "the never-sent batch stays last");
    });
  }

  @Test
  void expiryRemovesOnlyBatchesOlderThanTheDeliveryTimeout() {
    RecordAccumulator acc = accumulator(100, 0, 1 << 20);
    TopicPartition tp = new TopicPartition("t", 0);
    acc.append(tp, record(100), thunk(), 0);
    nowMs.addAndGet(500);
    acc.append(tp, record(100), thunk(), 0);
    assertEquals(500, acc.timeToNextExpiry(nowMs.get(), 1_000));
    nowMs.addAndGet(600);
    List<ProducerBatch> expired = acc.expire(nowMs.get(), 1_000);
    assertEquals(1, expired.size());
    assertTrue(acc.hasQueued());
  }
}
