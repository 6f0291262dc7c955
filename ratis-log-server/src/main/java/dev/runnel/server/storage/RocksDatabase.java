package dev.runnel.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Owns every native handle of one store's RocksDB database (options, column families, the
 * database) and the few operations that need more than one of them. {@link #close()} frees them
 * all, in the order RocksDB requires.
 */
final class RocksDatabase implements AutoCloseable {

  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> columnFamilies;
  private final RocksHandles handles;
  private final WriteOptions noWal = new WriteOptions().setDisableWAL(true);
  private final FlushOptions waitForFlush = new FlushOptions().setWaitForFlush(true);

  private RocksDatabase(DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
      List<ColumnFamilyHandle> columnFamilies, String context) {
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.columnFamilies = columnFamilies;
    this.handles = new RocksHandles(db, columnFamilies.get(0), columnFamilies.get(1), context);
  }

  /** Opens or creates the database in {@code dir}; on failure nothing stays allocated. */
  static RocksDatabase open(Path dir, StorageResources resources, String context)
      throws IOException, RocksDBException {
    Files.createDirectories(dir);
    final DBOptions dbOptions = resources.newDbOptions();
    final ColumnFamilyOptions cfOptions = resources.newColumnFamilyOptions();
    final List<ColumnFamilyHandle> cfs = new ArrayList<>();
    try {
      final RocksDB db = RocksDB.open(dbOptions, dir.toString(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
          new ColumnFamilyDescriptor(
              RocksHandles.BATCHES.getBytes(StandardCharsets.UTF_8), cfOptions)), cfs);
      return new RocksDatabase(dbOptions, cfOptions, db, cfs, context);
    } catch (RocksDBException | RuntimeException e) {
      cfs.forEach(ColumnFamilyHandle::close);
      cfOptions.close();
      dbOptions.close();
      throw e;
    }
  }

  RocksHandles handles() {
    return handles;
  }

  /** Commits a write batch without the WAL (the Raft log plays that role). */
  void write(WriteBatch batch) throws RocksDBException {
    db.write(noWal, batch);
  }

  /** Reads every live SST file and verifies its block checksums. */
  void verifyChecksums() throws RocksDBException {
    db.verifyChecksum();
  }

  /** Flushes the memtables of both column families as one atomic flush and waits for it. */
  void flush() throws RocksDBException {
    db.flush(waitForFlush, columnFamilies);
  }

  /**
   * Drops the batch files that lie entirely inside the given {@code [begin, end)} key ranges.
   * Only for ranges below a log start that is already durable: the deletion is not part of any
   * write batch and cannot be undone by a crash.
   */
  void dropBatchFiles(List<byte[]> beginEndPairs) throws RocksDBException {
    if (!beginEndPairs.isEmpty()) {
      db.deleteFilesInRanges(handles.batches(), beginEndPairs, false);
    }
  }

  /** Flushes, then writes a checkpoint (hard links to the data files) into {@code target}. */
  void checkpoint(Path target) throws RocksDBException {
    flush();
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    }
  }

  /** Closes the database and frees every handle, also when closing fails. */
  @Override
  public void close() throws RocksDBException {
    try {
      // RocksDB wants the column family handles released before the database.
      columnFamilies.forEach(ColumnFamilyHandle::close);
      db.closeE();
    } finally {
      db.close();
      noWal.close();
      waitForFlush.close();
      cfOptions.close();
      dbOptions.close();
    }
  }
}
