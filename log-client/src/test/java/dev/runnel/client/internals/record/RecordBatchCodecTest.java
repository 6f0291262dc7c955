package dev.runnel.client.internals.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.runnel.client.Header;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RecordBatchCodecTest {

  private static List<RawRecord> sample() {
    List<RawRecord> records = new ArrayList<>();
    records.add(new RawRecord(1_000, bytes("k0"), bytes("v0"),
        List.of(new Header("h", bytes("x")), new Header("h", null), Header.ofString("ü", "ß"))));
    records.add(new RawRecord(990, null, bytes("no key, earlier timestamp"), List.of()));
    records.add(new RawRecord(1_500, bytes("tombstone"), null, List.of()));
    records.add(new RawRecord(1_200, new byte[0], new byte[0], List.of()));
    for (int i = 0; i < 500; i++) {
      records.add(new RawRecord(2_000 + i, bytes("key-" + i), bytes("value-value-value-" + i),
          List.of()));
    }
    return records;
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"COMPRESSION_NONE", "COMPRESSION_LZ4",
      "COMPRESSION_ZSTD"})
  void roundTripKeepsEveryFieldForEachCodec(Compression codec) throws Exception {
    List<RawRecord> in = sample();
    EncodedBatch enc = RecordBatchCodec.encode(in, codec, 42, 3, 7);
    RecordBatch header = RecordBatch.parseFrom(enc.bytes());
    assertEquals(RecordBatchCodec.FORMAT_VERSION, header.getFormatVersion());
    assertEquals(in.size(), header.getRecordCount());
    assertEquals(1_000, header.getBaseTimestampMs());
    assertEquals(2_499, header.getMaxTimestampMs());
    assertEquals(codec, header.getCompression());
    assertEquals(42, header.getProducerId());
    assertEquals(3, header.getProducerEpoch());
    assertEquals(7, header.getBaseSequence());
    if (codec != Compression.COMPRESSION_NONE) {
      assertTrue(header.getRecords().size() < enc.uncompressedBytes(), "compression must shrink "
          + "repetitive records");
    }

    DecodedBatch out = RecordBatchCodec.decode(enc.bytes(), true, 1 << 20);
    assertEquals(in.size(), out.records().size());
    for (int i = 0; i < in.size(); i++) {
      RawRecord a = in.get(i);
      RawRecord b = out.records().get(i);
      assertEquals(a.timestampMs(), b.timestampMs(), "timestamp of " + i);
      assertArrayEquals(a.key(), b.key(), "key of " + i);
      assertArrayEquals(a.value(), b.value(), "value of " + i);
      assertEquals(a.headers(), b.headers(), "headers of " + i);
    }
    assertNull(out.records().get(1).key(), "absent key stays null");
    assertNull(out.records().get(2).value(), "absent value stays null");
    assertEquals(0, out.records().get(3).key().length, "empty key stays empty, not null");
  }

  @Test
  void crcCoversCompressedRecordsAndMismatchIsDetected() throws Exception {
    EncodedBatch enc = RecordBatchCodec.encode(sample(), Compression.COMPRESSION_LZ4, 0, 0, 0);
    RecordBatch b = RecordBatch.parseFrom(enc.bytes());
    assertEquals(dev.runnel.protocol.Crc32c.of(b.getRecords()), b.getCrc());

    byte[] records = b.getRecords().toByteArray();
    records[records.length / 2] ^= 0x01;
    ByteString flipped = b.toBuilder().setRecords(ByteString.copyFrom(records)).build().toByteString();
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> RecordBatchCodec.decode(flipped, true, 1 << 20));
    assertTrue(e.getMessage().contains("CRC-32C mismatch"), e.getMessage());
  }

  @Test
  void crc32cMatchesTheStandardCheckValue() {
    // CRC-32C("123456789") = 0xE3069283, the check value of the Castagnoli polynomial.
    assertEquals(0xE3069283, dev.runnel.protocol.Crc32c.of(ByteString.copyFrom(bytes("123456789"))));
  }

  @Test
  void inconsistentHeadersAreCorrupt() throws Exception {
    RecordBatch b = RecordBatch.parseFrom(RecordBatchCodec.encode(sample(), Compression.COMPRESSION_NONE,
        0, 0, 0).bytes());
    ByteString wrongCount = b.toBuilder().setRecordCount(3).build().toByteString();
    assertThrows(CorruptRecordException.class, () -> RecordBatchCodec.decode(wrongCount, true, 1 << 20));
    ByteString wrongVersion = b.toBuilder().setFormatVersion(9).build().toByteString();
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> RecordBatchCodec.decode(wrongVersion, true, 1 << 20));
    assertTrue(e.getMessage().contains("format_version 9"), e.getMessage());
    assertThrows(CorruptRecordException.class,
        () -> RecordBatchCodec.decode(ByteString.copyFromUtf8("not a batch \u0001\u0002"), true, 1 << 20));
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"COMPRESSION_LZ4", "COMPRESSION_ZSTD"})
  void decompressionIsBounded(Compression codec) {
    List<RawRecord> big = List.of(new RawRecord(0, null, new byte[200_000], List.of()));
    EncodedBatch enc = RecordBatchCodec.encode(big, codec, 0, 0, 0);
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> RecordBatchCodec.decode(enc.bytes(), true, 100_000));
    assertTrue(e.getMessage().contains("exceed the limit of 100000 bytes"), e.getMessage());
  }

  @Test
  void resequencingChangesOnlyTheHeader() throws Exception {
    EncodedBatch enc = RecordBatchCodec.encode(sample(), Compression.COMPRESSION_ZSTD, 5, 1, 100);
    ByteString again = RecordBatchCodec.withSequence(enc.bytes(), 9, 2, 0);
    RecordBatch a = RecordBatch.parseFrom(enc.bytes());
    RecordBatch b = RecordBatch.parseFrom(again);
    assertEquals(a.getRecords(), b.getRecords());
    assertEquals(a.getCrc(), b.getCrc());
    assertEquals(9, b.getProducerId());
    assertEquals(0, b.getBaseSequence());
    assertEquals(sample().size(), RecordBatchCodec.decode(again, true, 1 << 20).records().size());
  }

  @Test
  void emptyBatchIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> RecordBatchCodec.encode(List.of(), Compression.COMPRESSION_NONE, 0, 0, 0));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"COMPRESSION_NONE", "COMPRESSION_LZ4"})
  void decodedRecordsOwnTheirBytes(Compression codec) {
    // decode parses through views of the fetched bytes; what it hands out must not be one of them.
    byte[] fetched = RecordBatchCodec.encode(sample(), codec, 0, 0, 0).bytes().toByteArray();
    DecodedBatch out = RecordBatchCodec.decode(
        UnsafeByteOperations.unsafeWrap(fetched), true, 1 << 20);
    Arrays.fill(fetched, (byte) 0);
    assertArrayEquals(bytes("k0"), out.records().get(0).key());
    assertArrayEquals(bytes("v0"), out.records().get(0).value());
    assertArrayEquals(bytes("x"), out.records().get(0).headers().get(0).value());
    assertArrayEquals(bytes("value-value-value-499"), out.records().get(503).value());
  }
}
