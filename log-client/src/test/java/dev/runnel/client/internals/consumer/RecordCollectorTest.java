package dev.runnel.client.internals.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.ConsumerRecords;
import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.client.errors.RecordDeserializationException;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.internals.record.RecordBatchCodec;
import dev.runnel.client.serialization.IntegerDeserializer;
import dev.runnel.client.serialization.StringDeserializer;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCollectorTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);

  /** A batch at {@code base} whose values are 4-byte ints, except where {@code poison} says. */
  private static FetchedBatch batch(long base, int count, int poisonIndex) {
    List<RawRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // A 3-byte value cannot be an Integer: that record is the poison one.
      byte[] value = i == poisonIndex ? new byte[] {1, 2, 3} : new byte[] {0, 0, 0, (byte) (base + i)};
      records.add(new RawRecord(100 + i, ("k" + (base + i)).getBytes(StandardCharsets.UTF_8), value,
          List.of()));
    }
    ByteString bytes = RecordBatchCodec.encode(records, Compression.COMPRESSION_LZ4, 0, 0, 0).bytes();
    return FetchedBatch.newBuilder().setBaseOffset(base).setBatch(bytes).build();
  }

  private SubscriptionState subs;
  private FetchBuffer buffer;
  private RecordCollector<String, Integer> collector;

  private void setUp(long position, int maxRecords) {
    subs = new SubscriptionState(OffsetReset.EARLIEST);
    subs.assign(List.of(TP));
    subs.seek(TP, position);
    buffer = new FetchBuffer();
    collector = new RecordCollector<>(subs, buffer, new StringDeserializer(), new IntegerDeserializer(),
        maxRecords);
  }

  private static List<Long> offsets(ConsumerRecords<String, Integer> rs) {
    List<Long> out = new ArrayList<>();
    for (ConsumerRecord<String, Integer> r : rs) {
      out.add(r.offset());
    }
    return out;
  }

  @Test
  void skipsRecordsBelowThePositionInTheFirstBatch() {
    setUp(3, 100);
    buffer.add(new CompletedFetch(TP, 3, List.of(batch(0, 5, -1), batch(5, 2, -1)), true));
    ConsumerRecords<String, Integer> rs = collector.collect();
    assertEquals(List.of(3L, 4L, 5L, 6L), offsets(rs));
    assertEquals(3, rs.records(TP).get(0).value());
    assertEquals("k3", rs.records(TP).get(0).key());
    assertEquals(103, rs.records(TP).get(0).timestamp());
    assertEquals(7L, subs.position(TP));
    assertTrue(buffer.isEmpty());
  }

  @Test
  void maxPollRecordsBoundsOnePoll() {
    setUp(0, 4);
    buffer.add(new CompletedFetch(TP, 0, List.of(batch(0, 10, -1)), true));
    assertEquals(List.of(0L, 1L, 2L, 3L), offsets(collector.collect()));
    assertEquals(List.of(4L, 5L, 6L, 7L), offsets(collector.collect()));
    assertEquals(List.of(8L, 9L), offsets(collector.collect()));
  }

  @Test
  void poisonRecordIsReportedWithItsOffsetAndSkippedBySeekingPastIt() {
    setUp(0, 100);
    buffer.add(new CompletedFetch(TP, 0, List.of(batch(0, 6, 3)), true));
    // Records before the poison one come first; the position stops on it.
    assertEquals(List.of(0L, 1L, 2L), offsets(collector.collect()));
    assertEquals(3L, subs.position(TP));
    for (int attempt = 0; attempt < 2; attempt++) {
      RecordDeserializationException e = assertThrows(RecordDeserializationException.class,
          () -> collector.collect());
      assertEquals(TP, e.topicPartition());
      assertEquals(3, e.offset());
      assertTrue(e.getMessage().contains("offset 3 of t-0"), e.getMessage());
      assertTrue(e.getMessage().contains("seek(t-0, 4)"), e.getMessage());
      assertEquals(3L, subs.position(TP), "the position stays on the poison record");
    }
    subs.seek(TP, 3 + 1);
    assertEquals(List.of(4L, 5L), offsets(collector.collect()));
  }

  @Test
  void corruptBatchIsReportedWithPartitionAndOffset() throws Exception {
    setUp(0, 100);
    FetchedBatch good = batch(0, 2, -1);
    RecordBatch b = RecordBatch.parseFrom(batch(2, 2, -1).getBatch());
    byte[] recs = b.getRecords().toByteArray();
    recs[recs.length - 1] ^= 0x40;
    FetchedBatch bad = FetchedBatch.newBuilder().setBaseOffset(2).setBatch(
        b.toBuilder().setRecords(ByteString.copyFrom(recs)).build().toByteString()).build();
    buffer.add(new CompletedFetch(TP, 0, List.of(good, bad, batch(4, 1, -1)), true));
    assertEquals(List.of(0L, 1L), offsets(collector.collect()));
    assertTrue(buffer.isEmpty(), "a fetch with a damaged batch is dropped, to be fetched again");
    // The fetch thread asks again from the position, 2, and gets the damaged batch first.
    buffer.add(new CompletedFetch(TP, 2, List.of(bad, batch(4, 1, -1)), true));
    CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> collector.collect());
    assertTrue(e.getMessage().contains("offset 2 of t-0"), e.getMessage());
    assertTrue(e.getMessage().contains("seek(t-0, 4)"), e.getMessage());
    assertEquals(2L, subs.position(TP));
    subs.seek(TP, 4);
    buffer.add(new CompletedFetch(TP, 4, List.of(batch(4, 1, -1)), true));
    assertEquals(List.of(4L), offsets(collector.collect()));
  }

  @Test
  void backwardSeekDropsStaleDataAndPauseHidesIt() {
    setUp(5, 100);
    buffer.add(new CompletedFetch(TP, 5, List.of(batch(5, 3, -1)), true));
    subs.seek(TP, 2);
    assertTrue(collector.collect().isEmpty());
    assertTrue(buffer.isEmpty(), "data fetched for offset 5 is useless after a seek to 2");

    buffer.add(new CompletedFetch(TP, 2, List.of(batch(2, 3, -1)), true));
    subs.pause(List.of(TP));
    assertTrue(collector.collect().isEmpty());
  }
}
