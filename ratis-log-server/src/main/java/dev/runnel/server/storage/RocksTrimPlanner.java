package dev.runnel.server.storage;

import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.StoreKeys.BatchKey;
import dev.runnel.server.storage.StoreKeys.TimeKey;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Adds to a write batch the changes of trimming one partition of a {@link RocksDbPartitionStore}.
 *
 * <p><b>Batches are trimmed logically.</b> The new log start offset goes into the partition's
 * meta, and every read starts at or above it, so the removed batches are invisible at once. They
 * are not range-deleted: a range tombstone spans from the old log start to the newest key of the
 * file it lands in, so compacting it would rewrite the whole retained log. Instead
 * {@link RocksDbPartitionStore#flush()} drops the data files that lie entirely below the durable
 * log start; at most the one file per level that straddles it stays on disk a little longer.
 *
 * <p><b>The time index is rebuilt at the head.</b> It holds an entry only for a batch whose max
 * timestamp exceeds every earlier batch's. Entries of removed batches are range-deleted (the state
 * column family is small), and batches that were hidden behind a larger timestamp of a removed
 * batch get entries: the head of the log, up to the first surviving entry, is re-indexed from the
 * batch keys with a running max that starts afresh. The index then equals the one that appending
 * the remaining batches to an empty log would build, so timestamp lookups stay exact. The scan
 * reads keys only; its length is the number of head batches not indexed, normally a handful.
 */
final class RocksTrimPlanner {

  /** What a trim removed, for {@link PartitionState#trimmed}. */
  record TrimPlan(long newLogStart, long removedBytes, long removedBatches,
      long newMaxTimestampMs) {}

  private RocksTrimPlanner() {}

  /**
   * Plans the trim of {@code p} to {@code upToOffset}, adding its writes to {@code wb}.
   *
   * @return null when no whole batch ends before {@code upToOffset} (nothing to remove)
   */
  static TrimPlan plan(RocksHandles h, PartitionId p, PartitionState s, long upToOffset,
      WriteBatch wb) throws RocksDBException {
    final long upTo = Math.min(upToOffset, s.nextOffset());
    if (upTo <= s.logStartOffset()) {
      return null;
    }
    long removedBytes = 0;
    long removedBatches = 0;
    long newLogStart = s.nextOffset();
    try (RocksScan scan = h.scanBatches(p, StoreKeys.batchAt(p, s.logStartOffset()),
        StoreKeys.batchAt(p, s.nextOffset()))) {
      long expectedBase = s.logStartOffset();
      for (scan.it().seek(StoreKeys.batchAt(p, expectedBase)); scan.valid(); scan.it().next()) {
        final BatchKey k = StoreKeys.decodeBatch(scan.it().key());
        if (k.baseOffset() != expectedBase) {
          throw new StorageException(h.context() + ": partition " + p + " has no batch at offset "
              + expectedBase + " (found " + k.baseOffset() + ")");
        }
        if (k.lastOffset() >= upTo) {
          newLogStart = k.baseOffset();
          break;
        }
        removedBytes += k.sizeBytes();
        removedBatches++;
        expectedBase = k.lastOffset() + 1;
      }
    }
    if (removedBatches == 0) {
      return null;
    }
    final TimeKey firstKept = dropTimeEntriesBelow(h, p, newLogStart, wb);
    final long gapEnd = firstKept != null ? firstKept.offset() : s.nextOffset();
    final long gapMax = reindex(h, p, newLogStart, gapEnd, wb);
    final long newMax = firstKept != null ? s.maxTimestampMs() : gapMax;
    return new TrimPlan(newLogStart, removedBytes, removedBatches, newMax);
  }

  /** Deletes time-index entries of removed batches; returns the first surviving entry or null. */
  private static TimeKey dropTimeEntriesBelow(RocksHandles h, PartitionId p, long newLogStart,
      WriteBatch wb) throws RocksDBException {
    final byte[] prefix = StoreKeys.prefix(StoreKeys.TIME, p);
    final byte[] end = StoreKeys.prefixEnd(prefix);
    TimeKey firstKept = null;
    try (RocksScan scan = h.scanState(prefix, end)) {
      for (scan.it().seekToFirst(); scan.valid(); scan.it().next()) {
        final TimeKey k = StoreKeys.decodeTime(scan.it().key());
        if (k.offset() >= newLogStart) {
          firstKept = k;
          break;
        }
      }
    }
    wb.deleteRange(h.state(), prefix,
        firstKept != null ? StoreKeys.time(p, firstKept.timestampMs(), firstKept.offset()) : end);
    return firstKept;
  }

  /**
   * Writes time-index entries for the batches in {@code [from, to)} from a fresh running max.
   *
   * @return the largest max timestamp among them, -1 if there are none
   */
  private static long reindex(RocksHandles h, PartitionId p, long from, long to, WriteBatch wb)
      throws RocksDBException {
    long running = -1;
    try (RocksScan scan = h.scanBatches(p, StoreKeys.batchAt(p, from), StoreKeys.batchAt(p, to))) {
      for (scan.it().seekToFirst(); scan.valid(); scan.it().next()) {
        final BatchKey k = StoreKeys.decodeBatch(scan.it().key());
        if (k.maxTimestampMs() > running) {
          wb.put(h.state(), StoreKeys.time(p, k.maxTimestampMs(), k.baseOffset()), new byte[0]);
          running = k.maxTimestampMs();
        }
      }
    }
    return running;
  }
}
