package dev.runnel.server.storage;

import dev.runnel.server.common.PartitionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The batch column families of one store: one per partition, created on its first append.
 *
 * <p>Why one per partition: a partition's batch keys only grow, so in a column family of its own
 * every flushed file lies above the ones before it and compaction moves files down the levels
 * without rewriting them (store write amplification ~1x). With several partitions sharing one
 * column family, each flushed file spans all of them, and a compaction picks up every file in
 * between: the whole retained log of the partitions in the middle was rewritten again and again
 * (measured 4-5x with 6 partitions in one Raft group).
 *
 * <p>Creating a family is durable on its own (outside any write batch); a crash between creating it
 * and the first append leaves an empty family, which reads as an empty partition.
 */
final class BatchFamilies {
  static final String NAME_PREFIX = "batches-";

  private final RocksDB db;
  private final ColumnFamilyOptions options;
  private final Map<PartitionId, ColumnFamilyHandle> handles = new ConcurrentHashMap<>();
  private final ReentrantLock creation = new ReentrantLock();

  BatchFamilies(RocksDB db, ColumnFamilyOptions options) {
    this.db = db;
    this.options = options;
  }

  static boolean isBatchFamily(byte[] name) {
    return new String(name, StandardCharsets.UTF_8).startsWith(NAME_PREFIX);
  }

  /** The family name of a partition: the hex of its batch key prefix, so it is unique per store. */
  static byte[] nameOf(PartitionId p) {
    return (NAME_PREFIX + HexFormat.of().formatHex(StoreKeys.prefix(StoreKeys.BATCH, p)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The partition a family name stands for. */
  static PartitionId partitionOf(byte[] name) {
    final String s = new String(name, StandardCharsets.UTF_8);
    return StoreKeys.partitionOf(HexFormat.of().parseHex(s.substring(NAME_PREFIX.length())));
  }

  /** Registers a family opened with the database. */
  void opened(byte[] name, ColumnFamilyHandle handle) {
    handles.put(partitionOf(name), handle);
  }

  /** The partition's family, or null if it never had a batch. */
  ColumnFamilyHandle get(PartitionId p) {
    return handles.get(p);
  }

  /**
   * Creates the families of the given partitions that do not exist yet, in one call. Called by the
   * single writer only. One call per entry, not one per partition: RocksDB rewrites its options file
   * (a section per family) on every creation, so creating 1,000 families one by one took minutes.
   */
  void ensure(Collection<PartitionId> partitions) throws RocksDBException {
    final List<PartitionId> missing = partitions.stream().distinct()
        .filter(p -> !handles.containsKey(p)).toList();
    if (missing.isEmpty()) {
      return;
    }
    creation.lock();
    try {
      final List<ColumnFamilyHandle> created = db.createColumnFamilies(
          missing.stream().map(p -> new ColumnFamilyDescriptor(nameOf(p), options)).toList());
      for (int i = 0; i < missing.size(); i++) {
        handles.put(missing.get(i), created.get(i));
      }
    } finally {
      creation.unlock();
    }
  }

  /** A RocksDB call run by {@link #withoutCreation}. */
  interface RocksCall {
    void run() throws RocksDBException;
  }

  /**
   * Runs {@code call} while no family is created. Flushes run concurrently with writes: a flush of
   * {@link #all()} inside this covers every family a write batch can touch, whereas a batch writing
   * to a family created after the list was taken would have its applied index flushed without its
   * data.
   */
  void withoutCreation(RocksCall call) throws RocksDBException {
    creation.lock();
    try {
      call.run();
    } finally {
      creation.unlock();
    }
  }

  List<ColumnFamilyHandle> all() {
    return new ArrayList<>(handles.values());
  }

  /** Releases every handle (before the database is closed, as RocksDB requires). */
  void close() {
    handles.values().forEach(ColumnFamilyHandle::close);
    handles.clear();
  }
}
