package dev.runnel.client.internals.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.internals.producer.ProducerBatch.Thunk;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.RecordBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IdempotenceTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);
  private static final Compression NONE = Compression.COMPRESSION_NONE;

  private static ProducerBatch batch(int records) {
    ProducerBatch b = new ProducerBatch(TP, 0, 1 << 20);
    for (int i = 0; i < records; i++) {
      b.tryAppend(new RawRecord(0, null, new byte[] {(byte) i}, List.of()), 30,
          new Thunk(new CompletableFuture<>(), null, 0));
    }
    b.close();
    return b;
  }

  private static Idempotence started() {
    Idempotence idem = new Idempotence(true, 5, true);
    idem.setIdentity(new Idempotence.ProducerIdentity(11, 2));
    return idem;
  }

  @Test
  void nothingIsSentBeforeAProducerIdArrives() {
    Idempotence idem = new Idempotence(true, 5, true);
    assertTrue(idem.needsIdentity());
    assertFalse(idem.canSend(TP, batch(1)));
    idem.setIdentity(new Idempotence.ProducerIdentity(11, 2));
    assertFalse(idem.needsIdentity());
    assertTrue(idem.canSend(TP, batch(1)));
  }

  @Test
  void sequencesGrowByRecordCountAndAreWrittenIntoTheBatch() throws Exception {
    Idempotence idem = started();
    ProducerBatch a = batch(3);
    ProducerBatch b = batch(2);
    idem.prepare(a, NONE);
    idem.prepare(b, NONE);
    assertEquals(0, a.baseSequence());
    assertEquals(3, b.baseSequence());
    RecordBatch wire = RecordBatch.parseFrom(b.encoded());
    assertEquals(11, wire.getProducerId());
    assertEquals(2, wire.getProducerEpoch());
    assertEquals(3, wire.getBaseSequence());
  }

  /** Acknowledges one batch, so the broker knows the producer id and pipelining is safe. */
  private static void confirm(Idempotence idem) {
    ProducerBatch first = batch(1);
    idem.prepare(first, NONE);
    idem.onResponse(first);
    idem.onSuccess(first);
  }

  @Test
  void firstBatchUnderAProducerIdGoesAloneThenBatchesPipeline() {
    Idempotence idem = started();
    ProducerBatch first = batch(1);
    assertTrue(idem.canSend(TP, first));
    idem.prepare(first, NONE);
    assertFalse(idem.canSend(TP, batch(1)), "a broker that does not know the id accepts any "
        + "sequence, so a second batch could overtake the first");
    idem.onResponse(first);
    idem.onSuccess(first);
    for (int i = 0; i < 5; i++) {
      ProducerBatch b = batch(1);
      assertTrue(idem.canSend(TP, b), "pipelined batch " + i);
      idem.prepare(b, NONE);
    }
    assertFalse(idem.canSend(TP, batch(1)), "max.in.flight bounds the pipeline");
  }

  @Test
  void retryResendsIdenticalBytesAndWaitsForEverythingInFlight() {
    Idempotence idem = started();
    confirm(idem);
    ProducerBatch a = batch(1);
    ProducerBatch b = batch(1);
    idem.prepare(a, NONE);
    idem.prepare(b, NONE);
    var firstBytes = a.encoded();
    // a failed retriably while b is still in flight: a may go again only when b has returned.
    idem.onResponse(a);
    assertFalse(idem.canSend(TP, a));
    idem.onResponse(b);
    assertTrue(idem.canSend(TP, a));
    idem.prepare(a, NONE);
    assertEquals(firstBytes, a.encoded(), "a retry sends the same bytes");
    assertEquals(1, a.baseSequence());
  }

  @Test
  void outOfOrderBehindAPendingBatchIsJustRetried() {
    Idempotence idem = started();
    confirm(idem);
    ProducerBatch a = batch(1);
    ProducerBatch b = batch(1);
    idem.prepare(a, NONE);
    idem.prepare(b, NONE);
    idem.onResponse(b);
    idem.onOutOfOrder(b);
    idem.onResponse(a);
    assertTrue(idem.canSend(TP, a), "no reset: an earlier batch explains the rejection");
    assertFalse(idem.needsIdentity());
  }

  @Test
  void failedNumberedBatchResetsThePartitionUnderAFreshIdAndRenumbers() {
    Idempotence idem = started();
    RecordAccumulator acc = new RecordAccumulator(1 << 20, 0, new MemoryLimiter(1 << 20),
        dev.runnel.client.internals.Time.SYSTEM, new StickyPartitions(new java.util.Random(1)));
    ProducerBatch a = batch(2);
    ProducerBatch b = batch(1);
    ProducerBatch c = batch(1);
    idem.prepare(a, NONE);
    idem.prepare(b, NONE);
    idem.prepare(c, NONE);
    idem.onResponse(a);
    idem.onResponse(b);
    idem.onResponse(c);
    // a failed for good; b was rejected as out of order (so not stored); c timed out (maybe stored).
    idem.onTerminalFailure(a);
    c.markMaybeStored();
    acc.reenqueue(b);
    acc.reenqueue(c);
    assertFalse(idem.canSend(TP, b), "a partition waiting to reset sends nothing");
    assertTrue(idem.needsIdentity(), "the reset needs a fresh producer id");
    idem.setIdentity(new Idempotence.ProducerIdentity(12, 0));
    List<ProducerBatch> failed = idem.applyResets(acc);
    assertEquals(List.of(c), failed, "a batch that may be stored is failed, not renumbered");
    assertFalse(b.hasSequence());
    assertTrue(idem.canSend(TP, b));
    idem.prepare(b, NONE);
    assertEquals(0, b.baseSequence(), "numbering restarts at 0 under the fresh id");
    assertEquals(12, b.producerId());
    assertFalse(idem.canSend(TP, batch(1)), "the first batch under the fresh id goes alone too");
  }

  @Test
  void withoutIdempotenceRetriesLimitAPartitionToOneBatchInFlight() {
    Idempotence safe = new Idempotence(false, 5, true);
    ProducerBatch a = batch(1);
    assertTrue(safe.canSend(TP, a));
    safe.prepare(a, NONE);
    assertFalse(safe.canSend(TP, batch(1)));
    assertEquals(0L, a.producerId());

    Idempotence noRetries = new Idempotence(false, 5, false);
    for (int i = 0; i < 5; i++) {
      assertTrue(noRetries.canSend(TP, batch(1)));
      noRetries.prepare(batch(1), NONE);
    }
    assertFalse(noRetries.canSend(TP, batch(1)), "max.in.flight still applies");
  }
}
