package dev.runnel.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class BatchValidatorTest {

  private static final BatchLimits SMALL = new BatchLimits(1_000, 64 * 1024, 500);
  private final BatchValidator validator = new BatchValidator(SMALL);

  private InvalidBatchException rejected(byte[] batch, ErrorCode expected) {
    final InvalidBatchException e =
        assertThrows(InvalidBatchException.class, () -> validator.validate(ByteString.copyFrom(batch)));
    assertEquals(expected, e.code(), e.getMessage());
    return e;
  }

  private InvalidBatchException rejected(RecordBatch.Builder batch, ErrorCode expected) {
    return rejected(batch.build().toByteArray(), expected);
  }

  @Test
  void validBatchYieldsItsHeader() throws Exception {
    final byte[] bytes = TestBatches.builder().records(3).baseTimestamp(5_000)
        .producer(42, 1, 7).compression(Compression.COMPRESSION_ZSTD).build();
    final BatchHeader h = validator.validate(ByteString.copyFrom(bytes));
    assertEquals(1, h.formatVersion());
    assertEquals(3, h.recordCount());
    assertEquals(5_000, h.baseTimestampMs());
    assertEquals(5_002, h.maxTimestampMs());
    assertEquals(Compression.COMPRESSION_ZSTD, h.compression());
    assertEquals(42, h.producerId());
    assertEquals(1, h.producerEpoch());
    assertEquals(7, h.baseSequence());
    assertEquals(bytes.length, h.sizeBytes());
    assertEquals(RecordBatch.parseFrom(bytes).getCrc(), h.crc());
    assertTrue(h.idempotent());
  }

  @Test
  void bytesThatAreNotARecordBatchAreCorrupt() {
    final InvalidBatchException e =
        rejected(new byte[] {(byte) 0xFF, 0x01, 0x02}, ErrorCode.CORRUPT_BATCH);
    assertTrue(e.getMessage().contains("not a valid runnel.v1.RecordBatch"), e.getMessage());
  }

  @Test
  void emptyInputHasNoFormatVersion() {
    final InvalidBatchException e = rejected(new byte[0], ErrorCode.CORRUPT_BATCH);
    assertTrue(e.getMessage().contains("format_version 0"), e.getMessage());
  }

  @Test
  void otherFormatVersionIsCorrupt() {
    rejected(TestBatches.builder().proto().setFormatVersion(2), ErrorCode.CORRUPT_BATCH);
  }

  @Test
  void zeroRecordCountIsCorrupt() {
    final InvalidBatchException e =
        rejected(TestBatches.builder().proto().setRecordCount(0), ErrorCode.CORRUPT_BATCH);
    assertTrue(e.getMessage().contains("record_count"), e.getMessage());
  }

  @Test
  void crcMismatchNamesBothValues() throws Exception {
    final RecordBatch.Builder b = TestBatches.builder().proto();
    final int good = b.getCrc();
    final InvalidBatchException e = rejected(b.setCrc(good ^ 1), ErrorCode.CORRUPT_BATCH);
    assertEquals(String.format("CRC mismatch: expected %08x computed %08x", good ^ 1, good),
        e.getMessage());
  }

  @Test
  void flippedPayloadByteFailsTheCrc() {
    final byte[] bytes = TestBatches.builder().records(4).build();
    bytes[bytes.length - 3] ^= 0x40;
    final InvalidBatchException e = rejected(bytes, ErrorCode.CORRUPT_BATCH);
    assertTrue(e.getMessage().startsWith("CRC mismatch"), e.getMessage());
  }

  @Test
  void negativeOrInvertedTimestampsAreInvalid() {
    rejected(TestBatches.builder().proto().setBaseTimestampMs(-1), ErrorCode.INVALID_TIMESTAMP);
    rejected(TestBatches.builder().proto().setMaxTimestampMs(-5), ErrorCode.INVALID_TIMESTAMP);
    final InvalidBatchException e = rejected(
        TestBatches.builder().baseTimestamp(100).maxTimestamp(99).proto(),
        ErrorCode.INVALID_TIMESTAMP);
    assertTrue(e.getMessage().contains("below base_timestamp_ms"), e.getMessage());
  }

  @Test
  void unknownCompressionIsUnsupported() {
    final InvalidBatchException e = rejected(
        TestBatches.builder().proto().setCompressionValue(9), ErrorCode.UNSUPPORTED_COMPRESSION);
    assertTrue(e.getMessage().contains("compression 9"), e.getMessage());
  }

  @Test
  void batchAboveMaxBatchBytesIsTooLarge() {
    final byte[] big = TestBatches.builder().records(100).valueBytes(700)
        .compression(Compression.COMPRESSION_LZ4).build();
    assertTrue(big.length > SMALL.maxBatchBytes());
    final InvalidBatchException e = rejected(big, ErrorCode.BATCH_TOO_LARGE);
    assertTrue(e.getMessage().contains(String.valueOf(SMALL.maxBatchBytes())), e.getMessage());
  }

  @Test
  void recordCountAboveMaxBatchRecordsIsTooLarge() {
    rejected(TestBatches.builder().records(501).valueBytes(1).proto(),
        ErrorCode.BATCH_TOO_LARGE);
  }

  @Test
  void producerFieldsMustBeConsistent() {
    rejected(TestBatches.builder().producer(-3, 0, 0).proto(), ErrorCode.INVALID_REQUEST);
    rejected(TestBatches.builder().producer(5, 0, -1).proto(), ErrorCode.INVALID_REQUEST);
    rejected(TestBatches.builder().producer(5, -1, 0).proto(), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void sequenceFieldsAreIgnoredWithoutProducerId() throws Exception {
    final byte[] b = TestBatches.builder().producer(0, -1, -1).build();
    assertEquals(0, validator.validate(ByteString.copyFrom(b)).producerId());
  }

  @Test
  void uncompressedRecordAboveMaxRecordBytesIsTooLarge() {
    final InvalidBatchException e = rejected(
        TestBatches.builder().records(3).valueBytes(1_200).build(), ErrorCode.RECORD_TOO_LARGE);
    assertTrue(e.getMessage().startsWith("record 0 is"), e.getMessage());
  }

  @Test
  void largeUncompressedBatchOfSmallRecordsIsAccepted() throws Exception {
    final byte[] b = TestBatches.builder().records(100).valueBytes(50).build();
    assertTrue(b.length > SMALL.maxRecordBytes());
    assertEquals(100, validator.validate(ByteString.copyFrom(b)).recordCount());
  }

  @Test
  void compressedBatchIsBoundOnlyByBatchSize() throws Exception {
    // Documented limitation: the broker does not decompress, so it cannot see record sizes.
    final byte[] b = TestBatches.builder().records(1).valueBytes(5_000)
        .compression(Compression.COMPRESSION_LZ4).build();
    assertEquals(1, validator.validate(ByteString.copyFrom(b)).recordCount());
  }

  @Test
  void malformedUncompressedRecordListIsCorrupt() {
    final byte[] junk = new byte[2_000];
    junk[0] = 0x0A; // field 1, length-delimited
    junk[1] = (byte) 0xF0; // a length varint that runs past the end
    junk[2] = (byte) 0xFF;
    junk[3] = 0x7F;
    final InvalidBatchException e =
        rejected(TestBatches.builder().rawRecords(junk).build(), ErrorCode.CORRUPT_BATCH);
    assertTrue(e.getMessage().contains("remain"), e.getMessage());
  }

  @Test
  void unknownRecordListFieldsAreSkipped() throws Exception {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeBytes(9, ByteString.copyFrom(new byte[1_500])); // not a record
    out.writeBytes(1, ByteString.copyFrom(new byte[10]));
    out.flush();
    final byte[] b = TestBatches.builder().rawRecords(bytes.toByteArray()).build();
    assertEquals(1, validator.validate(ByteString.copyFrom(b)).recordCount());
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new BatchLimits(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, 1, 0));
  }

  @Test
  void crcIsComputedOverEveryChunkOfARopeByteString() {
    final byte[] all = new byte[700];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i * 13);
    }
    final ByteString rope = ByteString.copyFrom(all, 0, 300)
        .concat(ByteString.copyFrom(all, 300, 400));
    assertTrue(rope.asReadOnlyByteBufferList().size() > 1, "expected a rope of several chunks");
    final CRC32C crc = new CRC32C();
    crc.update(all);
    assertEquals((int) crc.getValue(), dev.runnel.protocol.Crc32c.of(rope));
  }
}
