package dev.runnel.server.service;

import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.storage.PartitionStore.StoredBatch;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decides how far a partition's log may be trimmed under its retention settings. Only whole
 * batches go: a batch is removed by time when every record in it is older than retention.ms (its
 * max timestamp is), and by size while the log without it still exceeds retention.bytes.
 *
 * <p>Runs on the leader only; the result is replicated as a TRIM so that every replica removes the
 * same batches.
 */
public final class RetentionPolicy {
  /** Bytes read per step while scanning for the size cut. */
  static final int SCAN_BYTES = 4 << 20;

  private RetentionPolicy() {}

  /** The offset to trim up to, or empty when nothing has expired. -1 disables a limit. */
  public static OptionalLong trimPoint(PartitionStore store, PartitionId p, long retentionMs,
      long retentionBytes, long nowMs) {
    PartitionStore.PartitionOffsets o = store.offsets(p);
    if (o.nextOffset() == o.logStartOffset()) {
      return OptionalLong.empty();
    }
    long target = o.logStartOffset();
    if (retentionMs >= 0) {
      long cutoff = nowMs - retentionMs;
      target = Math.max(target, store.offsetForTimestamp(p, cutoff)
          .map(PartitionStore.TimestampOffset::offset).orElse(o.nextOffset()));
    }
    if (retentionBytes >= 0 && o.storedBytes() > retentionBytes) {
      target = Math.max(target, sizeCut(store, p, o, retentionBytes));
    }
    return target > o.logStartOffset() ? OptionalLong.of(target) : OptionalLong.empty();
  }

  /** The first offset from which the stored batches fit in {@code retentionBytes}. */
  private static long sizeCut(PartitionStore store, PartitionId p, PartitionStore.PartitionOffsets o,
      long retentionBytes) {
    long excess = o.storedBytes() - retentionBytes;
    long offset = o.logStartOffset();
    while (excess > 0 && offset < o.nextOffset()) {
      List<StoredBatch> batches = store.read(p, offset, SCAN_BYTES);
      if (batches.isEmpty()) {
        break;
      }
      for (StoredBatch b : batches) {
        if (excess <= 0) {
          break;
        }
        excess -= b.batch().length;
        offset = b.baseOffset() + b.recordCount();
      }
    }
    return offset;
  }
}
