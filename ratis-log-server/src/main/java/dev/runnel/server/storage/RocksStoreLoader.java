package dev.runnel.server.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.proto.internal.PartitionMeta;
import dev.runnel.proto.internal.ProducerState;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.StoreKeys.BatchKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Reads the state of a {@link RocksDbPartitionStore} at open: format marker, applied index,
 * partition metas and producers, and checks each partition's meta against its first and last
 * batch keys so that a store whose meta and data disagree is refused instead of served.
 */
final class RocksStoreLoader {

  /** Everything a store keeps in memory. */
  record Loaded(AppliedIndex applied, Map<PartitionId, PartitionState> partitions) {}

  private RocksStoreLoader() {}

  static Loaded load(RocksHandles h, int maxProducers) throws RocksDBException {
    final String context = h.context();
    checkFormat(h);
    final AppliedIndex applied =
        decodeApplied(h.db().get(h.state(), StoreKeys.single(StoreKeys.APPLIED)), context);
    final Map<PartitionId, PartitionState> partitions = new HashMap<>();
    final byte[] meta = StoreKeys.single(StoreKeys.META);
    try (RocksScan scan = h.scanState(meta, StoreKeys.prefixEnd(meta))) {
      for (scan.it().seekToFirst(); scan.valid(); scan.it().next()) {
        final PartitionId p = StoreKeys.partitionOf(scan.it().key());
        final PartitionMeta m = parse(() -> PartitionMeta.parseFrom(scan.it().value()), context, p);
        partitions.put(p, PartitionState.fromMeta(m, maxProducers));
      }
    }
    final byte[] producer = StoreKeys.single(StoreKeys.PRODUCER);
    try (RocksScan scan = h.scanState(producer, StoreKeys.prefixEnd(producer))) {
      for (scan.it().seekToFirst(); scan.valid(); scan.it().next()) {
        final byte[] key = scan.it().key();
        final PartitionId p = StoreKeys.partitionOf(key);
        final PartitionState s = partitions.get(p);
        final ProducerState ps = parse(() -> ProducerState.parseFrom(scan.it().value()), context, p);
        if (s == null || ps.getProducerId() != StoreKeys.producerIdOf(key)) {
          throw new StorageException(context + ": stray producer state " + ps.getProducerId()
              + " for partition " + p);
        }
        s.producers().restore(ps);
      }
    }
    for (Map.Entry<PartitionId, PartitionState> e : partitions.entrySet()) {
      checkBatchRange(h, e.getKey(), e.getValue());
    }
    return new Loaded(applied, partitions);
  }

  /** A new store gets the marker; an existing one must carry the marker of this format. */
  private static void checkFormat(RocksHandles h) throws RocksDBException {
    final String context = h.context();
    final byte[] key = StoreKeys.single(StoreKeys.FORMAT);
    final byte[] value = h.db().get(h.state(), key);
    if (value != null) {
      final String format = new String(value, StandardCharsets.UTF_8);
      if (!StoreKeys.FORMAT_VALUE.equals(format)) {
        throw new StorageException(context + ": unsupported store format '" + format
            + "' (this version reads " + StoreKeys.FORMAT_VALUE + ")");
      }
      return;
    }
    final byte[] lowest = {0};
    final byte[] highest = {(byte) 0xFF};
    try (RocksScan state = h.scanState(lowest, highest)) {
      state.it().seekToFirst();
      if (state.valid() || !h.batches().all().isEmpty()) {
        throw new StorageException(context + " is not empty but has no format marker: "
            + "not a Runnel partition store");
      }
    }
    try (WriteOptions sync = new WriteOptions().setSync(true)) {
      h.db().put(h.state(), sync, key, StoreKeys.FORMAT_VALUE.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static AppliedIndex decodeApplied(byte[] value, String context) {
    if (value == null) {
      return AppliedIndex.INITIAL;
    }
    if (value.length != 16) {
      throw new StorageException(context + ": applied index has " + value.length + " bytes");
    }
    final ByteBuffer b = ByteBuffer.wrap(value);
    return new AppliedIndex(b.getLong(), b.getLong());
  }

  /**
   * The meta must match the stored batches: the first batch at or above the log start begins
   * there and the last one ends at next - 1. Batches below the log start are trimmed ones whose
   * files were not dropped yet.
   */
  private static void checkBatchRange(RocksHandles h, PartitionId p, PartitionState s) {
    final byte[] prefix = StoreKeys.prefix(StoreKeys.BATCH, p);
    try (RocksScan scan = h.scanBatches(p, StoreKeys.batchAt(p, s.logStartOffset()),
        StoreKeys.prefixEnd(prefix))) {
      scan.it().seekToFirst();
      final BatchKey first = scan.valid() ? StoreKeys.decodeBatch(scan.it().key()) : null;
      scan.it().seekToLast();
      final BatchKey last = scan.valid() ? StoreKeys.decodeBatch(scan.it().key()) : null;
      final boolean empty = s.logStartOffset() == s.nextOffset();
      final boolean ok = empty ? first == null
          : first != null && first.baseOffset() == s.logStartOffset()
              && last.lastOffset() == s.nextOffset() - 1;
      if (!ok) {
        throw new StorageException(h.context() + ": partition " + p + " meta " + s
            + " does not match its stored batches (first " + first + ", last " + last + ")");
      }
    }
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser, String context, PartitionId p) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException(context + ": unreadable state of partition " + p, e);
    }
  }
}
