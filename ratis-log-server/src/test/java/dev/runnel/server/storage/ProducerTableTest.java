package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.proto.internal.ProducerState;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.record.BatchHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerTableTest {

  private static BatchHeader header(long producer, int epoch, int sequence, int records) {
    return new BatchHeader(1, 0, records, 0, 0, Compression.COMPRESSION_NONE, producer, epoch,
        sequence, 10);
  }

  private static ProducerTable.Check accept(ProducerTable t, BatchHeader h, long offset) {
    final ProducerTable.Check c = t.check(h);
    assertInstanceOf(ProducerTable.Accept.class, c);
    t.record(h, offset);
    return c;
  }

  @Test
  void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() {
    final ProducerTable t = new ProducerTable(10);
    for (int i = 0; i < 6; i++) {
      accept(t, header(1, 0, i * 2, 2), i * 2L);
    }
    assertEquals(new ProducerTable.Duplicate(2), t.check(header(1, 0, 2, 2)));
    final ProducerTable.Check oldest = t.check(header(1, 0, 0, 2));
    assertEquals(ErrorCode.OUT_OF_ORDER_SEQUENCE, ((ProducerTable.Reject) oldest).code());
    assertEquals(5, t.states().get(0).getRecentCount());
  }

  @Test
  void sameSequenceWithOtherCountIsNotADuplicate() {
    final ProducerTable t = new ProducerTable(10);
    accept(t, header(1, 0, 0, 2), 0);
    assertInstanceOf(ProducerTable.Reject.class, t.check(header(1, 0, 0, 3)));
  }

  @Test
  void newerEpochForgetsOlderBatches() {
    final ProducerTable t = new ProducerTable(10);
    accept(t, header(1, 0, 0, 2), 0);
    assertInstanceOf(ProducerTable.Reject.class, t.check(header(1, 1, 40, 1)), "new epoch starts at 0");
    accept(t, header(1, 1, 0, 1), 2);
    assertEquals(1, t.states().get(0).getRecentCount());
    assertInstanceOf(ProducerTable.Reject.class, t.check(header(1, 0, 0, 2)));
  }

  @Test
  void evictsTheProducerWhoseLastBatchIsOldest() {
    final ProducerTable t = new ProducerTable(2);
    accept(t, header(1, 0, 0, 1), 0);
    accept(t, header(2, 0, 0, 1), 1);
    accept(t, header(1, 0, 1, 1), 2); // producer 1 is now the most recent
    final ProducerTable.Update u = t.record(header(3, 0, 0, 1), 3);
    assertEquals(2, u.evictedProducerId());
    assertEquals(List.of(1L, 3L),
        t.states().stream().map(ProducerState::getProducerId).toList());
  }

  @Test
  void producerZeroHasNoState() {
    final ProducerTable t = new ProducerTable(2);
    assertInstanceOf(ProducerTable.Accept.class, t.check(header(0, 0, 0, 1)));
    assertNull(t.record(header(0, 0, 0, 1), 0));
    assertEquals(0, t.size());
  }

  @Test
  void sequenceArithmeticWrapsToZero() {
    assertEquals(5, ProducerTable.nextSequence(3, 2));
    assertEquals(0, ProducerTable.nextSequence(Integer.MAX_VALUE - 1, 2));
    assertEquals(1, ProducerTable.nextSequence(Integer.MAX_VALUE, 2));
  }

  @Test
  void restoringTheSameProducerTwiceIsRefused() {
    final ProducerTable t = new ProducerTable(10);
    accept(t, header(1, 0, 0, 1), 0);
    final ProducerState s = t.states().get(0);
    final ProducerTable other = new ProducerTable(10);
    other.restore(s);
    assertThrows(StorageException.class, () -> other.restore(s));
    assertThrows(IllegalArgumentException.class, () -> new ProducerTable(0));
  }
}
