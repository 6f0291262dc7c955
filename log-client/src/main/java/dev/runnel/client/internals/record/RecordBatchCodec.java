package dev.runnel.client.internals.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.runnel.client.Header;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.Record;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.proto.v1.RecordList;
import dev.runnel.protocol.Crc32c;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@code runnel.v1.RecordBatch} exactly as records.proto specifies: a RecordList,
 * compressed with the batch's codec, protected by a CRC-32C of the compressed bytes, behind a header
 * with timestamps, the record count and the producer's id, epoch and sequence.
 */
public final class RecordBatchCodec {
  /** The format version this client writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** Largest RecordList the consumer will decompress for one batch. */
  public static final int MAX_DECOMPRESSED_BYTES = 128 << 20;

  private RecordBatchCodec() {}

  /** Builds a batch from records in order; {@code producerId} 0 means no idempotence. */
  public static EncodedBatch encode(List<RawRecord> records, Compression codec, long producerId,
      int producerEpoch, int baseSequence) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one record");
    }
    long base = records.get(0).timestampMs();
    long max = base;
    RecordList.Builder list = RecordList.newBuilder();
    for (RawRecord r : records) {
      max = Math.max(max, r.timestampMs());
      list.addRecords(toProto(r, base));
    }
    byte[] raw = list.build().toByteArray();
    byte[] compressed = Codecs.compress(raw, codec);
    RecordBatch batch = RecordBatch.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setCrc(Crc32c.of(compressed, 0, compressed.length))
        .setRecordCount(records.size())
        .setBaseTimestampMs(base)
        .setMaxTimestampMs(max)
        .setCompression(codec)
        .setProducerId(producerId)
        .setProducerEpoch(producerEpoch)
        .setBaseSequence(baseSequence)
        .setRecords(UnsafeByteOperations.unsafeWrap(compressed))
        .build();
    return new EncodedBatch(batch.toByteString(), records.size(), base, raw.length);
  }

  private static Record toProto(RawRecord r, long baseTimestamp) {
    Record.Builder b = Record.newBuilder().setTimestampDeltaMs(r.timestampMs() - baseTimestamp);
    if (r.key() != null) {
      b.setKey(UnsafeByteOperations.unsafeWrap(r.key()));
    }
    if (r.value() != null) {
      b.setValue(UnsafeByteOperations.unsafeWrap(r.value()));
    }
    for (Header h : r.headers()) {
      dev.runnel.proto.v1.Header.Builder hb = dev.runnel.proto.v1.Header.newBuilder().setKey(h.key());
      if (h.value() != null) {
        hb.setValue(UnsafeByteOperations.unsafeWrap(h.value()));
      }
      b.addHeaders(hb);
    }
    return b.build();
  }

  /**
   * The same batch with another producer id, epoch and base sequence. Only the header changes (the
   * CRC covers the records alone), so this is cheap; it is used when a batch that the broker rejected
   * must be numbered again.
   */
  public static ByteString withSequence(ByteString batch, long producerId, int producerEpoch,
      int baseSequence) {
    try {
      return RecordBatch.parseFrom(batch).toBuilder().setProducerId(producerId)
          .setProducerEpoch(producerEpoch).setBaseSequence(baseSequence).build().toByteString();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the producer's own batch does not parse", e);
    }
  }

  /**
   * Parses and checks a batch.
   *
   * @param checkCrc whether to verify the CRC-32C (the consumer's {@code check.crcs})
   * @throws CorruptRecordException if the batch does not parse, fails its CRC or is inconsistent
   */
  public static DecodedBatch decode(ByteString bytes, boolean checkCrc, int maxDecompressedBytes) {
    RecordBatch batch;
    try {
      batch = RecordBatch.parser().parseFrom(aliasing(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptRecordException("not a RecordBatch: " + e.getMessage(), e);
    }
    if (batch.getFormatVersion() != FORMAT_VERSION) {
      throw new CorruptRecordException("unsupported batch format_version " + batch.getFormatVersion()
          + " (this client reads " + FORMAT_VERSION + ")");
    }
    if (checkCrc) {
      int actual = Crc32c.of(batch.getRecords());
      if (actual != batch.getCrc()) {
        throw new CorruptRecordException(String.format("CRC-32C mismatch: batch says %08x, records"
            + " hash to %08x", batch.getCrc(), actual));
      }
    }
    ByteString raw = Codecs.decompress(batch.getRecords(), batch.getCompression(),
        maxDecompressedBytes);
    RecordList list;
    try {
      list = RecordList.parser().parseFrom(aliasing(raw));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptRecordException("records do not parse: " + e.getMessage(), e);
    }
    if (list.getRecordsCount() != batch.getRecordCount() || list.getRecordsCount() == 0) {
      throw new CorruptRecordException("the batch header says " + batch.getRecordCount()
          + " records but it holds " + list.getRecordsCount());
    }
    List<RawRecord> records = new ArrayList<>(list.getRecordsCount());
    for (Record r : list.getRecordsList()) {
      records.add(fromProto(r, batch.getBaseTimestampMs()));
    }
    return new DecodedBatch(batch.getRecordCount(), batch.getBaseTimestampMs(),
        batch.getMaxTimestampMs(), batch.getCompression(), batch.getProducerId(),
        batch.getBaseSequence(), records);
  }

  /**
   * Parsing input whose {@code bytes} fields are views of {@code bytes}: the batch, its records and
   * their keys and values are not copied until {@link #fromProto} hands each record out as arrays.
   */
  private static CodedInputStream aliasing(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  private static RawRecord fromProto(Record r, long baseTimestamp) {
    List<Header> headers = new ArrayList<>(r.getHeadersCount());
    for (dev.runnel.proto.v1.Header h : r.getHeadersList()) {
      headers.add(new Header(h.getKey(), h.hasValue() ? h.getValue().toByteArray() : null));
    }
    return new RawRecord(baseTimestamp + r.getTimestampDeltaMs(),
        r.hasKey() ? r.getKey().toByteArray() : null,
        r.hasValue() ? r.getValue().toByteArray() : null, headers);
  }
}
