package dev.runnel.client.internals.producer;

import com.google.protobuf.ByteString;
import dev.runnel.client.Callback;
import dev.runnel.client.RecordMetadata;
import dev.runnel.client.TopicPartition;
import dev.runnel.client.internals.record.EncodedBatch;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.internals.record.RecordBatchCodec;
import dev.runnel.proto.v1.Compression;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one partition that travel together. Appends happen under the accumulator's lock for
 * the partition until the batch is closed; afterwards only the sender thread touches it. The batch is
 * encoded once, when first drained, and every retry sends the same bytes (only the sequence header can
 * change, and only when the broker has proven it did not store the batch).
 */
public final class ProducerBatch {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerBatch.class);

  /** Most records in one batch; the broker's default {@code max.batch.records}. */
  public static final int MAX_RECORDS = 100_000;

  /** The caller's side of one record: its future, optional callback and timestamp. */
  public record Thunk(CompletableFuture<RecordMetadata> future, Callback callback, long timestampMs) {}

  private final TopicPartition tp;
  private final long createdMs;
  private final int sizeLimit;
  private final List<RawRecord> records = new ArrayList<>();
  private final List<Thunk> thunks = new ArrayList<>();
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private int estimatedBytes;
  private boolean closed;
  // Sender-thread state from here on.
  private ByteString encoded;
  private long producerId;
  private int producerEpoch;
  private int baseSequence = -1;
  private int attempts;
  private long retryAtMs;
  private boolean maybeStored;
  private int reorderRetries;
  private RuntimeException lastError;

  public ProducerBatch(TopicPartition tp, long createdMs, int sizeLimit) {
    this.tp = tp;
    this.createdMs = createdMs;
    this.sizeLimit = sizeLimit;
  }

  /** Appends unless closed or full; a first record always fits, however large. */
  boolean tryAppend(RawRecord record, int recordBytes, Thunk thunk) {
    if (closed || records.size() >= MAX_RECORDS
        || (!records.isEmpty() && estimatedBytes + recordBytes > sizeLimit)) {
      return false;
    }
    records.add(record);
    thunks.add(thunk);
    estimatedBytes += recordBytes;
    return true;
  }

  boolean isFull() {
    return estimatedBytes >= sizeLimit || records.size() >= MAX_RECORDS;
  }

  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Encodes the batch the first time, or changes its sequence header afterwards.
   *
   * @param producerId 0 without idempotence
   */
  public void encode(Compression codec, long producerId, int producerEpoch, int baseSequence) {
    if (encoded == null) {
      EncodedBatch b = RecordBatchCodec.encode(records, codec, producerId, producerEpoch, baseSequence);
      encoded = b.bytes();
      // The encoded bytes are all a retry needs; dropping the raw records halves the memory held.
      records.clear();
    } else if (producerId != this.producerId || baseSequence != this.baseSequence
        || producerEpoch != this.producerEpoch) {
      encoded = RecordBatchCodec.withSequence(encoded, producerId, producerEpoch, baseSequence);
    }
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
  }

  /** Completes every record's future in order. {@code baseOffset} -1 means unknown (acks=none). */
  public void complete(long baseOffset) {
    if (completion.isDone()) {
      return;
    }
    for (int i = 0; i < thunks.size(); i++) {
      Thunk t = thunks.get(i);
      RecordMetadata md = new RecordMetadata(tp.topic(), tp.partition(),
          baseOffset < 0 ? -1 : baseOffset + i, t.timestampMs());
      t.future().complete(md);
      callback(t, md, null);
    }
    completion.complete(null);
  }

  /** Fails every record's future with {@code error}. */
  public void fail(RuntimeException error) {
    if (completion.isDone()) {
      return;
    }
    for (Thunk t : thunks) {
      t.future().completeExceptionally(error);
      callback(t, null, error);
    }
    completion.complete(null);
  }

  private void callback(Thunk t, RecordMetadata md, RuntimeException error) {
    if (t.callback() == null) {
      return;
    }
    try {
      t.callback().onCompletion(md, error);
    } catch (RuntimeException e) {
      // A failing user callback must not stop the producer's I/O thread.
      LOG.error("a send callback for {} threw; ignoring it", tp, e);
    }
  }

  public TopicPartition topicPartition() {
    return tp;
  }

  public long createdMs() {
    return createdMs;
  }

  public int recordCount() {
    return thunks.size();
  }

  public int estimatedBytes() {
    return estimatedBytes;
  }

  public ByteString encoded() {
    return encoded;
  }

  public long producerId() {
    return producerId;
  }

  public boolean hasSequence() {
    return baseSequence >= 0;
  }

  public int baseSequence() {
    return baseSequence;
  }

  /** Forgets the sequence so the batch is numbered again when next drained (after a reset). */
  void clearSequence() {
    baseSequence = -1;
  }

  public int attempts() {
    return attempts;
  }

  void recordAttempt() {
    attempts++;
  }

  public long retryAtMs() {
    return retryAtMs;
  }

  void retryAt(long atMs) {
    this.retryAtMs = atMs;
  }

  /** Whether an earlier attempt ended in a way that leaves open whether the broker stored it. */
  public boolean maybeStored() {
    return maybeStored;
  }

  /**
   * Records that an attempt may have been stored. There is no way back: a later attempt rejected
   * as out of sequence proves only that <em>that</em> attempt was not stored.
   */
  void markMaybeStored() {
    this.maybeStored = true;
  }

  int reorderRetries() {
    return reorderRetries;
  }

  void countReorderRetry() {
    reorderRetries++;
  }

  public RuntimeException lastError() {
    return lastError;
  }

  void lastError(RuntimeException e) {
    this.lastError = e;
  }

  public boolean isDone() {
    return completion.isDone();
  }

  /** Completes when every record of the batch has succeeded or failed. */
  public CompletableFuture<Void> completion() {
    return completion;
  }

  @Override
  public String toString() {
    return "ProducerBatch(" + tp + ", records=" + records.size() + ", seq=" + baseSequence + ")";
  }
}
