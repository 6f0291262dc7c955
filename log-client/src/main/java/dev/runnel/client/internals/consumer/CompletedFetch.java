package dev.runnel.client.internals.consumer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.client.internals.record.DecodedBatch;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.internals.record.RecordBatchCodec;
import dev.runnel.proto.v1.FetchedBatch;
import java.util.List;

/**
 * One partition's part of a fetch response, waiting in the buffer until poll consumes it. Batches are
 * decoded lazily, one at a time, on the polling thread; records below the next wanted offset (the
 * start of the first batch, or after a seek forward) are skipped.
 */
public final class CompletedFetch {
  /** A record and its offset. */
  public record OffsetRecord(long offset, RawRecord record) {}

  private final TopicPartition tp;
  private final List<FetchedBatch> batches;
  private final int sizeBytes;
  private final boolean checkCrcs;
  private long nextOffset;
  private int batchIndex;
  private DecodedBatch current;
  private long currentBase;
  private int recordIndex;

  public CompletedFetch(TopicPartition tp, long fetchOffset, List<FetchedBatch> batches,
      boolean checkCrcs) {
    this.tp = tp;
    this.nextOffset = fetchOffset;
    this.batches = batches;
    this.checkCrcs = checkCrcs;
    int size = 0;
    for (FetchedBatch b : batches) {
      size += b.getBatch().size();
    }
    this.sizeBytes = size;
  }

  public TopicPartition topicPartition() {
    return tp;
  }

  public int sizeBytes() {
    return sizeBytes;
  }

  /** The offset of the next record poll wants from this fetch. */
  public long nextOffset() {
    return nextOffset;
  }

  /** Skips forward to {@code offset} (after a seek forward). */
  public void skipTo(long offset) {
    nextOffset = Math.max(nextOffset, offset);
  }

  /**
   * The next record at or after {@link #nextOffset()}, or null when the fetch is used up.
   *
   * @throws CorruptRecordException naming the partition and batch offset if a batch is damaged
   */
  public OffsetRecord peek() {
    while (true) {
      if (current == null) {
        if (batchIndex >= batches.size()) {
          return null;
        }
        FetchedBatch fb = batches.get(batchIndex);
        try {
          current = RecordBatchCodec.decode(fb.getBatch(), checkCrcs,
              RecordBatchCodec.MAX_DECOMPRESSED_BYTES);
        } catch (CorruptRecordException e) {
          String hint = batchIndex + 1 < batches.size()
              ? "; seek(" + tp + ", " + batches.get(batchIndex + 1).getBaseOffset() + ") skips it"
              : "; seek beyond this batch to skip it";
          throw new CorruptRecordException("corrupt batch at offset " + fb.getBaseOffset() + " of " + tp
              + ": " + e.getMessage() + hint, e);
        }
        currentBase = fb.getBaseOffset();
        recordIndex = 0;
      }
      if (recordIndex >= current.records().size()) {
        current = null;
        batchIndex++;
        continue;
      }
      long offset = currentBase + recordIndex;
      if (offset < nextOffset) {
        recordIndex++;
        continue;
      }
      return new OffsetRecord(offset, current.records().get(recordIndex));
    }
  }

  /** Moves past the record {@link #peek()} returned. */
  public void advance() {
    nextOffset = currentBase + recordIndex + 1;
    recordIndex++;
  }
}
