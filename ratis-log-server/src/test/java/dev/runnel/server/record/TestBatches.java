package dev.runnel.server.record;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.Record;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.proto.v1.RecordList;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.PartitionStore.BatchAppend;
import java.nio.charset.StandardCharsets;

/**
 * Builds valid serialized {@code runnel.v1.RecordBatch} bytes for tests. Content is deterministic
 * (derived from {@link Builder#seed}), so two builds with the same settings are byte-identical.
 *
 * <pre>{@code
 * byte[] batch = TestBatches.builder().records(3).producer(7, 0, 0).build();
 * BatchHeader h = TestBatches.header(batch);
 * RecordBatch tampered = TestBatches.builder().proto().setCrc(42).build();
 * }</pre>
 */
public final class TestBatches {

  /** Generous limits that every batch built here with default settings passes. */
  public static final BatchLimits LIMITS = new BatchLimits(1 << 20, 8 << 20, 100_000);

  private static final BatchValidator VALIDATOR = new BatchValidator(LIMITS);

  private TestBatches() {}

  public static Builder builder() {
    return new Builder();
  }

  /** A valid batch of {@code records} records without producer id. */
  public static byte[] batch(int records) {
    return builder().records(records).build();
  }

  /** The header of a batch, validated with {@link #LIMITS}; fails the test if it is invalid. */
  public static BatchHeader header(byte[] batch) {
    try {
      return VALIDATOR.validate(ByteString.copyFrom(batch));
    } catch (InvalidBatchException e) {
      throw new AssertionError("test batch is invalid: " + e.code() + " " + e.getMessage(), e);
    }
  }

  /** A store append of {@code batch} (validated with {@link #LIMITS}) to {@code partition}. */
  public static BatchAppend append(PartitionId partition, byte[] batch) {
    return new BatchAppend(partition, header(batch), batch);
  }

  /** Settings of one batch; {@link #build()} computes the CRC. */
  public static final class Builder {
    private int records = 1;
    private int valueBytes = 16;
    private long baseTimestampMs = 1_000;
    private long maxTimestampMs = -1;
    private Compression compression = Compression.COMPRESSION_NONE;
    private long producerId;
    private int producerEpoch;
    private int baseSequence;
    private long seed;
    private ByteString rawRecords;

    public Builder records(int count) {
      this.records = count;
      return this;
    }

    /** Size of each record's value (keys are a few bytes). */
    public Builder valueBytes(int bytes) {
      this.valueBytes = bytes;
      return this;
    }

    /** Record i gets timestamp {@code base + i}; the max is {@code base + records - 1}. */
    public Builder baseTimestamp(long baseMs) {
      this.baseTimestampMs = baseMs;
      return this;
    }

    /** Overrides the max timestamp written in the header. */
    public Builder maxTimestamp(long maxMs) {
      this.maxTimestampMs = maxMs;
      return this;
    }

    /**
     * Sets the codec field. The payload is not actually compressed: the broker never decompresses,
     * so tests of the broker do not need it to be.
     */
    public Builder compression(Compression codec) {
      this.compression = codec;
      return this;
    }

    public Builder producer(long id, int epoch, int baseSeq) {
      this.producerId = id;
      this.producerEpoch = epoch;
      this.baseSequence = baseSeq;
      return this;
    }

    /** Varies the record contents, so batches with otherwise equal settings differ. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Uses these bytes as the {@code records} field instead of a generated RecordList. */
    public Builder rawRecords(byte[] bytes) {
      this.rawRecords = ByteString.copyFrom(bytes);
      return this;
    }

    /** The generated RecordList (before any "compression"). */
    public RecordList recordList() {
      final RecordList.Builder list = RecordList.newBuilder();
      for (int i = 0; i < records; i++) {
        final byte[] value = new byte[valueBytes];
        for (int j = 0; j < value.length; j++) {
          value[j] = (byte) (seed * 31 + i * 7 + j);
        }
        list.addRecords(Record.newBuilder().setTimestampDeltaMs(i)
            .setKey(ByteString.copyFrom("k-" + seed + "-" + i, StandardCharsets.UTF_8))
            .setValue(ByteString.copyFrom(value)));
      }
      return list.build();
    }

    /** A valid batch message (correct CRC) that tests may alter before serializing. */
    public RecordBatch.Builder proto() {
      final ByteString payload = rawRecords != null ? rawRecords : recordList().toByteString();
      final long max = maxTimestampMs >= 0 ? maxTimestampMs : baseTimestampMs + records - 1;
      return RecordBatch.newBuilder().setFormatVersion(BatchValidator.FORMAT_VERSION)
          .setCrc(dev.runnel.protocol.Crc32c.of(payload)).setRecordCount(records)
          .setBaseTimestampMs(baseTimestampMs).setMaxTimestampMs(max).setCompression(compression)
          .setProducerId(producerId).setProducerEpoch(producerEpoch).setBaseSequence(baseSequence)
          .setRecords(payload);
    }

    public byte[] build() {
      return proto().build().toByteArray();
    }
  }
}
