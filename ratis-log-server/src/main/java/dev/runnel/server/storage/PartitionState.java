package dev.runnel.server.storage;

import dev.runnel.proto.internal.PartitionMeta;
import dev.runnel.proto.internal.ProducerState;
import dev.runnel.server.record.BatchHeader;
import dev.runnel.server.storage.PartitionStore.PartitionOffsets;

/**
 * The writer's view of one partition: offsets, sizes, the running max timestamp and the producer
 * table. Owned by the single writer thread of a store and never read by readers, which see only
 * the {@link PartitionOffsets} a store publishes after its write commits. Shared by both store
 * implementations so that offset assignment and idempotence decisions are identical.
 */
final class PartitionState {

  /** What an append decided for one batch. */
  record Appended(AppendResult result, boolean stored, boolean newMaxTimestamp,
      ProducerTable.Update producerUpdate) {}

  private long nextOffset;
  private long logStartOffset;
  private long storedBytes;
  private long batchCount;
  /** Largest max timestamp among stored batches, -1 when none is stored. */
  private long maxTimestampMs = -1;
  private final ProducerTable producers;

  PartitionState(int maxProducers) {
    this.producers = new ProducerTable(maxProducers);
  }

  /** Restores a partition from its persisted meta (producers included if the meta carries them). */
  static PartitionState fromMeta(PartitionMeta meta, int maxProducers) {
    final PartitionState s = new PartitionState(maxProducers);
    s.nextOffset = meta.getNextOffset();
    s.logStartOffset = meta.getLogStartOffset();
    s.storedBytes = meta.getStoredBytes();
    s.batchCount = meta.getBatchCount();
    s.maxTimestampMs = meta.getMaxTimestampMs();
    for (ProducerState p : meta.getProducersList()) {
      s.producers.restore(p);
    }
    s.checkInvariants();
    return s;
  }

  /**
   * Applies the idempotence rules and, if the batch is to be stored, assigns its base offset and
   * updates this state. A rejected or duplicate batch changes nothing.
   */
  Appended append(BatchHeader h) {
    final ProducerTable.Check check = producers.check(h);
    if (check instanceof ProducerTable.Reject r) {
      return new Appended(AppendResult.rejected(r.code(), r.message()), false, false, null);
    }
    if (check instanceof ProducerTable.Duplicate d) {
      return new Appended(AppendResult.duplicateOf(d.baseOffset(), logStartOffset), false, false,
          null);
    }
    final long base = nextOffset;
    nextOffset = Math.addExact(nextOffset, h.recordCount());
    storedBytes += h.sizeBytes();
    batchCount++;
    final boolean newMax = h.maxTimestampMs() > maxTimestampMs;
    if (newMax) {
      maxTimestampMs = h.maxTimestampMs();
    }
    final ProducerTable.Update update = producers.record(h, base);
    return new Appended(AppendResult.appended(base, logStartOffset), true, newMax, update);
  }

  /** Records that whole batches were removed from the front of the log. */
  void trimmed(long newLogStart, long removedBytes, long removedBatches, long newMaxTimestampMs) {
    if (newLogStart <= logStartOffset || newLogStart > nextOffset || removedBatches < 1
        || removedBatches > batchCount || removedBytes > storedBytes) {
      throw new IllegalStateException("invalid trim of " + this + " to " + newLogStart
          + " removing " + removedBatches + " batches / " + removedBytes + " bytes");
    }
    logStartOffset = newLogStart;
    storedBytes -= removedBytes;
    batchCount -= removedBatches;
    maxTimestampMs = newMaxTimestampMs;
    checkInvariants();
  }

  PartitionOffsets offsets() {
    return new PartitionOffsets(logStartOffset, nextOffset, storedBytes, batchCount);
  }

  /** The persisted form; producers are included only when the store keeps them in the meta. */
  PartitionMeta toMeta(boolean withProducers) {
    final PartitionMeta.Builder b = PartitionMeta.newBuilder().setNextOffset(nextOffset)
        .setLogStartOffset(logStartOffset).setStoredBytes(storedBytes).setBatchCount(batchCount)
        .setMaxTimestampMs(maxTimestampMs);
    if (withProducers) {
      b.addAllProducers(producers.states());
    }
    return b.build();
  }

  ProducerTable producers() {
    return producers;
  }

  long nextOffset() {
    return nextOffset;
  }

  long logStartOffset() {
    return logStartOffset;
  }

  long maxTimestampMs() {
    return maxTimestampMs;
  }

  private void checkInvariants() {
    final boolean empty = batchCount == 0;
    if (logStartOffset < 0 || nextOffset < logStartOffset || batchCount < 0 || storedBytes < 0
        || empty != (logStartOffset == nextOffset) || empty != (storedBytes == 0)) {
      throw new StorageException("inconsistent partition state: " + this);
    }
  }

  @Override
  public String toString() {
    return "PartitionState{logStart=" + logStartOffset + ", next=" + nextOffset + ", bytes="
        + storedBytes + ", batches=" + batchCount + ", maxTs=" + maxTimestampMs + ", producers="
        + producers.size() + "}";
  }
}
