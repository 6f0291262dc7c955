package dev.runnel.server.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.protocol.Crc32c;
import java.io.IOException;
import java.util.Objects;

/**
 * Checks a serialized {@code runnel.v1.RecordBatch} as received from a producer and extracts its
 * {@link BatchHeader}. Stateless and thread-safe.
 *
 * <p>Checks, in order (the first failure is reported):
 * <ol>
 *   <li>size at most {@link BatchLimits#maxBatchBytes()} ({@code BATCH_TOO_LARGE});
 *   <li>parses as a {@code RecordBatch} ({@code CORRUPT_BATCH});
 *   <li>{@code format_version == 1} and {@code record_count >= 1} ({@code CORRUPT_BATCH});
 *   <li>{@code record_count} at most {@link BatchLimits#maxBatchRecords()} ({@code BATCH_TOO_LARGE});
 *   <li>a known compression codec ({@code UNSUPPORTED_COMPRESSION});
 *   <li>timestamps {@code >= 0} and {@code max >= base} ({@code INVALID_TIMESTAMP});
 *   <li>producer fields: {@code producer_id >= 0}, and with a producer id {@code producer_epoch >= 0}
 *       and {@code base_sequence >= 0} ({@code INVALID_REQUEST});
 *   <li>CRC-32C of the {@code records} bytes equals {@code crc} ({@code CORRUPT_BATCH});
 *   <li>no single record larger than {@link BatchLimits#maxRecordBytes()} ({@code RECORD_TOO_LARGE}).
 * </ol>
 *
 * <p><b>Record size limit.</b> The broker never decompresses. For an uncompressed batch larger than
 * {@code maxRecordBytes} it walks the {@code RecordList} (lengths only, records are not decoded) and
 * rejects a record whose serialized size exceeds the limit; a smaller uncompressed batch cannot hold
 * such a record, so it is not walked. A <em>compressed</em> batch is bounded only by
 * {@code maxBatchBytes}: a record above {@code maxRecordBytes} inside it is not detected here, and
 * consumers must be ready for records up to the decompressed size of a batch.
 *
 * <p>The bytes are parsed with aliasing, so the {@code records} field is not copied; the CRC is
 * computed over read-only views of the input array.
 */
public final class BatchValidator {

  /** The only {@code format_version} this broker accepts. */
  public static final int FORMAT_VERSION = 1;

  private static final int RECORDS_FIELD = 1;

  private final BatchLimits limits;

  public BatchValidator(BatchLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public BatchLimits limits() {
    return limits;
  }

  /**
   * Validates one serialized batch in place: the records are read through views of {@code batch},
   * never copied (a produce request's batches arrive as views of the request's bytes).
   *
   * @return the batch's header; {@link BatchHeader#sizeBytes()} is {@code batch.size()}
   * @throws InvalidBatchException naming the first problem found
   */
  public BatchHeader validate(ByteString batch) throws InvalidBatchException {
    Objects.requireNonNull(batch, "batch");
    if (batch.size() > limits.maxBatchBytes()) {
      throw invalid(ErrorCode.BATCH_TOO_LARGE, "batch is " + batch.size()
          + " bytes, above the limit of " + limits.maxBatchBytes() + " bytes");
    }
    final RecordBatch parsed = parse(batch);
    checkHeader(parsed);
    checkProducer(parsed);
    checkCrc(parsed);
    if (parsed.getCompression() == Compression.COMPRESSION_NONE
        && batch.size() > limits.maxRecordBytes()) {
      checkRecordSizes(parsed.getRecords());
    }
    return new BatchHeader(parsed.getFormatVersion(), parsed.getCrc(), parsed.getRecordCount(),
        parsed.getBaseTimestampMs(), parsed.getMaxTimestampMs(), parsed.getCompression(),
        parsed.getProducerId(), parsed.getProducerEpoch(), parsed.getBaseSequence(), batch.size());
  }

  private static RecordBatch parse(ByteString batch) throws InvalidBatchException {
    final CodedInputStream in = batch.newCodedInput();
    // Aliasing makes the `records` ByteString a view of `batch` instead of a copy.
    in.enableAliasing(true);
    try {
      return RecordBatch.parser().parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(ErrorCode.CORRUPT_BATCH,
          "batch is not a valid runnel.v1.RecordBatch: " + e.getMessage());
    }
  }

  private void checkHeader(RecordBatch b) throws InvalidBatchException {
    if (b.getFormatVersion() != FORMAT_VERSION) {
      throw invalid(ErrorCode.CORRUPT_BATCH, "unsupported format_version "
          + Integer.toUnsignedString(b.getFormatVersion()) + " (expected " + FORMAT_VERSION + ")");
    }
    if (b.getRecordCount() < 1) {
      throw invalid(ErrorCode.CORRUPT_BATCH,
          "record_count must be at least 1, got " + b.getRecordCount());
    }
    if (b.getRecordCount() > limits.maxBatchRecords()) {
      throw invalid(ErrorCode.BATCH_TOO_LARGE, "batch holds " + b.getRecordCount()
          + " records, above the limit of " + limits.maxBatchRecords());
    }
    if (b.getCompression() == Compression.UNRECOGNIZED) {
      throw invalid(ErrorCode.UNSUPPORTED_COMPRESSION,
          "compression " + b.getCompressionValue() + " is not supported (known: none, lz4, zstd)");
    }
    if (b.getBaseTimestampMs() < 0 || b.getMaxTimestampMs() < 0) {
      throw invalid(ErrorCode.INVALID_TIMESTAMP, "timestamps must be >= 0, got base_timestamp_ms "
          + b.getBaseTimestampMs() + " and max_timestamp_ms " + b.getMaxTimestampMs());
    }
    if (b.getMaxTimestampMs() < b.getBaseTimestampMs()) {
      throw invalid(ErrorCode.INVALID_TIMESTAMP, "max_timestamp_ms " + b.getMaxTimestampMs()
          + " is below base_timestamp_ms " + b.getBaseTimestampMs());
    }
  }

  private static void checkProducer(RecordBatch b) throws InvalidBatchException {
    if (b.getProducerId() < 0) {
      throw invalid(ErrorCode.INVALID_REQUEST,
          "producer_id must be >= 0 (0 = not idempotent), got " + b.getProducerId());
    }
    if (b.getProducerId() == 0) {
      return;
    }
    if (b.getProducerEpoch() < 0) {
      throw invalid(ErrorCode.INVALID_REQUEST, "producer_epoch must be >= 0 for producer "
          + b.getProducerId() + ", got " + b.getProducerEpoch());
    }
    if (b.getBaseSequence() < 0) {
      throw invalid(ErrorCode.INVALID_REQUEST, "base_sequence must be >= 0 for producer "
          + b.getProducerId() + ", got " + b.getBaseSequence());
    }
  }

  private static void checkCrc(RecordBatch b) throws InvalidBatchException {
    final int computed = Crc32c.of(b.getRecords());
    if (computed != b.getCrc()) {
      throw invalid(ErrorCode.CORRUPT_BATCH, String.format(
          "CRC mismatch: expected %08x computed %08x", b.getCrc(), computed));
    }
  }

  /** Walks the uncompressed RecordList reading only the length of each record. */
  private void checkRecordSizes(ByteString records) throws InvalidBatchException {
    final CodedInputStream in = records.newCodedInput();
    int index = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) != RECORDS_FIELD
            || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          // Unknown fields of RecordList are allowed (forward compatibility) and not records.
          in.skipField(tag);
          continue;
        }
        final int size = in.readRawVarint32();
        final int remaining = records.size() - in.getTotalBytesRead();
        if (size < 0 || size > remaining) {
          throw invalid(ErrorCode.CORRUPT_BATCH, "record " + index + " of an uncompressed batch "
              + "claims " + size + " bytes but only " + remaining + " remain");
        }
        if (size > limits.maxRecordBytes()) {
          throw invalid(ErrorCode.RECORD_TOO_LARGE, "record " + index + " is " + size
              + " bytes, above the limit of " + limits.maxRecordBytes() + " bytes");
        }
        in.skipRawBytes(size);
        index++;
      }
    } catch (IOException e) {
      throw invalid(ErrorCode.CORRUPT_BATCH,
          "records of an uncompressed batch are not a valid RecordList: " + e.getMessage());
    }
  }

  private static InvalidBatchException invalid(ErrorCode code, String message) {
    return new InvalidBatchException(code, message);
  }
}
