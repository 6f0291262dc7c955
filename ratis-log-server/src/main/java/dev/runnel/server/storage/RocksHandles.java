package dev.runnel.server.storage;

import dev.runnel.server.common.PartitionId;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * The open database of a {@link RocksDbPartitionStore}: column family {@code default} holds the
 * small, often rewritten state (format, applied index, metas, time index, producers); each
 * partition's batches have a column family of their own (see {@link BatchFamilies}).
 *
 * @param context "partition store DIR", the prefix of error messages
 */
record RocksHandles(RocksDB db, ColumnFamilyHandle state, BatchFamilies batches,
    String context) {

  RocksScan scanState(byte[] lower, byte[] upper) {
    return new RocksScan(db, state, context, lower, upper, true);
  }

  /**
   * Scans the partition's batches; a partition that never had one scans as empty. Batches read
   * do not go into the block cache: each is read once per consumer pass, and caching them only
   * grew the broker's RSS by the whole cache during a consume from the start.
   */
  RocksScan scanBatches(PartitionId p, byte[] lower, byte[] upper) {
    final ColumnFamilyHandle cf = batches.get(p);
    // No family yet: an empty range of the state family stands in for an empty log.
    return cf != null ? new RocksScan(db, cf, context, lower, upper, false)
        : new RocksScan(db, state, context, upper, upper, false);
  }
}
