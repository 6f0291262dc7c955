package dev.runnel.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.runnel.server.common.PartitionId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
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
  private final ColumnFamilyHandle state;
  private final BatchFamilies batches;
  private final RocksHandles handles;
  private final WriteOptions noWal = new WriteOptions().setDisableWAL(true);
  private final FlushOptions waitForFlush = new FlushOptions().setWaitForFlush(true);

  private RocksDatabase(DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
      ColumnFamilyHandle state, BatchFamilies batches, String context) {
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.state = state;
    this.batches = batches;
    this.handles = new RocksHandles(db, state, batches, context);
  }

  /** Opens or creates the database in {@code dir}; on failure nothing stays allocated. */
  static RocksDatabase open(Path dir, StorageResources resources, String context)
      throws IOException, RocksDBException {
    Files.createDirectories(dir);
    final DBOptions dbOptions = resources.newDbOptions();
    final ColumnFamilyOptions cfOptions = resources.newColumnFamilyOptions();
    final List<ColumnFamilyHandle> cfs = new ArrayList<>();
    try {
      final List<byte[]> names = existingFamilies(dir);
      final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
      for (byte[] name : names) {
        if (BatchFamilies.isBatchFamily(name)) {
          descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
        } else if (!Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)) {
          throw new StorageException(context + ": unexpected column family '"
              + new String(name, StandardCharsets.UTF_8) + "': not a store of this version");
        }
      }
      final RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, cfs);
      final BatchFamilies batches = new BatchFamilies(db, cfOptions);
      for (int i = 1; i < descriptors.size(); i++) {
        batches.opened(descriptors.get(i).getName(), cfs.get(i));
      }
      return new RocksDatabase(dbOptions, cfOptions, db, cfs.get(0), batches, context);
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

  /** The column families in an existing database directory; none for a new one. */
  private static List<byte[]> existingFamilies(Path dir) throws RocksDBException {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return List.of();
    }
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, dir.toString());
    }
  }

  /**
   * Flushes the memtables of every column family as one atomic flush and waits for it. Safe while
   * write batches are committed concurrently: each is flushed whole or not at all.
   */
  void flush() throws RocksDBException {
    batches.withoutCreation(this::flushAll);
  }

  private void flushAll() throws RocksDBException {
    final List<ColumnFamilyHandle> all = new ArrayList<>();
    all.add(state);
    all.addAll(batches.all());
    db.flush(waitForFlush, all);
  }

  /**
   * Drops the partition's batch files that lie entirely inside {@code [begin, end)}. Only for a
   * range below a log start that is already durable: the deletion is not part of any write batch
   * and cannot be undone by a crash.
   */
  void dropBatchFiles(PartitionId p, byte[] begin, byte[] end) throws RocksDBException {
    final ColumnFamilyHandle cf = batches.get(p);
    if (cf != null) {
      db.deleteFilesInRanges(cf, List.of(begin, end), false);
    }
  }

  /**
   * Writes a checkpoint (hard links to the data files) into {@code target}. RocksDB first flushes
   * every column family, atomically ({@code atomic_flush}), so the checkpoint holds each write
   * batch committed concurrently whole or not at all. A caller that flushed just before makes
   * that flush a small one.
   */
  void checkpoint(Path target) throws RocksDBException {
    batches.withoutCreation(() -> {
      try (Checkpoint checkpoint = Checkpoint.create(db)) {
        checkpoint.createCheckpoint(target.toString());
      }
    });
  }

  /** Closes the database and frees every handle, also when closing fails. */
  @Override
  public void close() throws RocksDBException {
    try {
      // RocksDB wants the column family handles released before the database.
      batches.close();
      state.close();
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
