package dev.runnel.server.storage;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * The open database of a {@link RocksDbPartitionStore}: column family {@code default} holds the
 * small, often rewritten state (format, applied index, metas, time index, producers) and column
 * family {@value #BATCHES} holds only batches. Keeping batches apart means their keys only grow
 * within a partition, so flushed files do not overlap and compaction moves them down the levels
 * without rewriting them.
 *
 * @param context "partition store DIR", the prefix of error messages
 */
record RocksHandles(RocksDB db, ColumnFamilyHandle state, ColumnFamilyHandle batches,
    String context) {

  static final String BATCHES = "batches";

  RocksScan scanState(byte[] lower, byte[] upper) {
    return new RocksScan(db, state, context, lower, upper);
  }

  RocksScan scanBatches(byte[] lower, byte[] upper) {
    return new RocksScan(db, batches, context, lower, upper);
  }
}
