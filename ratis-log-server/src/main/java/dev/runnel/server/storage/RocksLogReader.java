package dev.runnel.server.storage;

import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.PartitionStore.PartitionOffsets;
import dev.runnel.server.storage.PartitionStore.StoredBatch;
import dev.runnel.server.storage.PartitionStore.TimestampOffset;
import dev.runnel.server.storage.StoreKeys.BatchKey;
import dev.runnel.server.storage.StoreKeys.TimeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The read paths of {@link RocksDbPartitionStore}. Callers pass the published next offset they
 * read before calling; every scan is bounded by it, so entries committed later stay invisible.
 */
final class RocksLogReader {

  private final RocksHandles handles;
  /** The currently published offsets, to report the range after a concurrent trim. */
  private final Function<PartitionId, PartitionOffsets> offsets;

  RocksLogReader(RocksHandles handles, Function<PartitionId, PartitionOffsets> offsets) {
    this.handles = handles;
    this.offsets = offsets;
  }

  /**
   * Batches from the one containing {@code from}, within {@code [logStart, next)}, while they fit
   * in {@code maxBytes} (the first one always). Checks that the batches are dense and that each
   * value has the size its key records.
   */
  List<StoredBatch> read(PartitionId p, long from, long logStart, long next, int maxBytes) {
    final List<StoredBatch> out = new ArrayList<>();
    try (RocksScan scan = handles.scanBatches(p, StoreKeys.batchAt(p, logStart),
        StoreKeys.batchAt(p, next))) {
      scan.it().seekForPrev(StoreKeys.batchSeekForPrev(p, from));
      if (!scan.valid() || StoreKeys.decodeBatch(scan.it().key()).lastOffset() < from) {
        throw missing(p, from, from);
      }
      long total = 0;
      long expectedBase = -1;
      for (; scan.valid(); scan.it().next()) {
        final BatchKey k = StoreKeys.decodeBatch(scan.it().key());
        if (!out.isEmpty() && total + k.sizeBytes() > maxBytes) {
          break;
        }
        if (expectedBase >= 0 && k.baseOffset() != expectedBase) {
          throw missing(p, from, expectedBase);
        }
        final byte[] value = scan.it().value();
        if (value.length != k.sizeBytes()) {
          throw StorageException.damaged(handles.context() + ": batch " + k + " of partition " + p
              + " has a value of " + value.length + " bytes");
        }
        out.add(new StoredBatch(k.baseOffset(), k.recordCount(), value));
        total += k.sizeBytes();
        expectedBase = k.lastOffset() + 1;
      }
    }
    return out;
  }

  /**
   * No batch holds {@code offset}. Legitimate only if a trim committed during the read moved the
   * log start past it (the trimmed files may then be gone); otherwise the store is damaged.
   */
  private RuntimeException missing(PartitionId p, long from, long offset) {
    final PartitionOffsets now = offsets.apply(p);
    if (offset >= now.logStartOffset()) {
      return StorageException.damaged(handles.context() + ": no stored batch of partition " + p
          + " contains offset " + offset + " although the log holds " + now);
    }
    return new OffsetOutOfRangeException(from, now.logStartOffset(), now.nextOffset());
  }

  /** First time-index entry at or after {@code timestampMs}, if its batch is below {@code next}. */
  Optional<TimestampOffset> offsetForTimestamp(PartitionId p, long timestampMs, long next) {
    final byte[] prefix = StoreKeys.prefix(StoreKeys.TIME, p);
    try (RocksScan scan = handles.scanState(prefix, StoreKeys.prefixEnd(prefix))) {
      scan.it().seek(StoreKeys.timeAt(p, timestampMs));
      if (!scan.valid()) {
        return Optional.empty();
      }
      final TimeKey k = StoreKeys.decodeTime(scan.it().key());
      // An entry at or past the published next offset belongs to a write not yet visible.
      return k.offset() < next
          ? Optional.of(new TimestampOffset(k.offset(), k.timestampMs())) : Optional.empty();
    }
  }
}
