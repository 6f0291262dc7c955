package dev.runnel.server.storage;

import java.nio.file.Path;
import java.util.Objects;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ChecksumType;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Priority;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB resources shared by every {@link RocksDbPartitionStore} of a broker, so that memory and
 * threads stay bounded with hundreds of stores open: one block cache, one write-buffer budget
 * charged to that cache, and RocksDB's process-wide background thread pools.
 *
 * <p>Create one per broker, pass it to every {@link RocksDbPartitionStore#open}, and close it after
 * every store is closed ({@link #close()} refuses while stores are open, since closing the cache
 * under an open database would crash the process).
 */
public final class StorageResources implements AutoCloseable {

  private static final long MIB = 1024L * 1024;
  private static final long ARENA_BLOCK_BYTES = 64 * 1024;
  static final int DIRECT_PUT_MAX_BYTES = 1 << 20;

  /**
   * Storage sizes and limits.
   *
   * @param blockCacheBytes block cache for data and index blocks, shared by all stores (default 64
   *     MiB). The cache is created with room for this plus {@code writeBufferTotalBytes}, because
   *     memtables are charged to it: RocksDB memory is about the sum of both.
   * @param writeBufferTotalBytes memtable budget of all stores together (default 128 MiB); when it is
   *     reached, the stores flush their memtables early
   * @param writeBufferBytesPerStore memtable size of one store (default 4 MiB, at most 2 memtables)
   * @param backgroundThreads threads for flushes and compactions of all stores together (default 2)
   * @param maxOpenFilesPerStore file handles one store may keep open (default 64)
   * @param maxProducersPerPartition idempotent producers remembered per partition (default 1000);
   *     beyond it the least recently appending producer is forgotten
   * @param directWrites whether flushes and compactions write with O_DIRECT (default false; the
   *     broker turns it on where {@link DirectIoProbe} finds the file system takes it)
   */
  public record Settings(long blockCacheBytes, long writeBufferTotalBytes,
      long writeBufferBytesPerStore, int backgroundThreads, int maxOpenFilesPerStore,
      int maxProducersPerPartition, boolean directWrites) {

    public static final Settings DEFAULTS = new Settings(64 * MIB, 128 * MIB, 4 * MIB, 2, 64,
        ProducerTable.DEFAULT_MAX_PRODUCERS, false);

    public Settings {
      atLeast("blockCacheBytes", blockCacheBytes, MIB);
      atLeast("writeBufferTotalBytes", writeBufferTotalBytes, MIB);
      atLeast("writeBufferBytesPerStore", writeBufferBytesPerStore, 64 * 1024);
      atLeast("backgroundThreads", backgroundThreads, 1);
      atLeast("maxOpenFilesPerStore", maxOpenFilesPerStore, 16);
      atLeast("maxProducersPerPartition", maxProducersPerPartition, 1);
      if (writeBufferBytesPerStore > writeBufferTotalBytes) {
        throw new IllegalArgumentException("writeBufferBytesPerStore (" + writeBufferBytesPerStore
            + ") must not exceed writeBufferTotalBytes (" + writeBufferTotalBytes + ")");
      }
    }

    private static void atLeast(String name, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
      }
    }
  }

  private final Settings settings;
  private final LRUCache cache;
  private final WriteBufferManager writeBufferManager;
  /** Sized for the producer's default 128 KiB batches with room to spare; see {@link DirectPuts}. */
  private final DirectPuts directPuts = new DirectPuts(DIRECT_PUT_MAX_BYTES);
  private int openStores;
  private boolean closed;

  private StorageResources(Settings settings) {
    this.settings = settings;
    this.cache = new LRUCache(settings.blockCacheBytes() + settings.writeBufferTotalBytes());
    this.writeBufferManager = new WriteBufferManager(settings.writeBufferTotalBytes(), cache);
  }

  /** Loads RocksDB (RocksJava's way) and creates the shared cache and write-buffer budget. */
  public static StorageResources create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    RocksDB.loadLibrary();
    return configure(settings);
  }

  /**
   * Loads RocksDB from one copy of its library kept in {@code nativeLibraryDir} (see
   * {@link RocksNativeLibrary}) and creates the shared cache and write-buffer budget.
   */
  public static StorageResources create(Settings settings, Path nativeLibraryDir) {
    Objects.requireNonNull(settings, "settings");
    RocksNativeLibrary.load(nativeLibraryDir);
    return configure(settings);
  }

  private static StorageResources configure(Settings settings) {
    // The default Env's pools are process-wide: every store's flushes (HIGH) and compactions (LOW)
    // share these threads. A DB only ever raises a pool to its own max_background_jobs, which is
    // the same setting, so the pools stay at this size however many stores are open.
    final Env env = Env.getDefault();
    env.setBackgroundThreads(settings.backgroundThreads(), Priority.LOW);
    env.setBackgroundThreads(1, Priority.HIGH);
    return new StorageResources(settings);
  }

  /** The broker's buffer for putting batch views into write batches. */
  DirectPuts directPuts() {
    return directPuts;
  }

  public Settings settings() {
    return settings;
  }

  /** Bytes in the shared cache: cached blocks plus memtable reservations. */
  public long cacheUsageBytes() {
    return cache.getUsage();
  }

  public synchronized int openStores() {
    return openStores;
  }

  /**
   * Database-wide options for one store. The caller owns the result and closes it after the
   * database.
   */
  DBOptions newDbOptions() {
    return new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        // Writes skip the WAL, so only an atomic flush keeps the column families consistent with
        // each other (and with the applied index) after a crash.
        .setAtomicFlush(true)
        .setParanoidChecks(true)
        .setWriteBufferManager(writeBufferManager)
        .setMaxBackgroundJobs(settings.backgroundThreads())
        .setMaxSubcompactions(1)
        .setMaxOpenFiles(settings.maxOpenFilesPerStore())
        .setSkipStatsUpdateOnDbOpen(true)
        .setStatsDumpPeriodSec(0)
        .setStatsPersistPeriodSec(0)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setMaxLogFileSize(MIB)
        .setKeepLogFileNum(2)
        // Flushed files are the second copy of data the Raft log already holds, and are read back
        // far less than they are written. Through the page cache each flushed byte cost a copy into
        // a freshly allocated cache page: 11 % of the brokers' CPU samples under W1, and a quarter
        // of their CPU per record in an A/B (docs/performance.md). Reads stay buffered.
        .setUseDirectIoForFlushAndCompaction(settings.directWrites());
  }

  /** Options of both column families of a store; the caller closes them after the database. */
  ColumnFamilyOptions newColumnFamilyOptions() {
    final BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setBlockSize(16 * 1024)
        // Index blocks go through the shared cache instead of living on the heap of each open table.
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true)
        .setChecksumType(ChecksumType.kXXH3);
    return new ColumnFamilyOptions()
        .setWriteBufferSize(settings.writeBufferBytesPerStore())
        .setMaxWriteBufferNumber(2)
        // Small arena blocks: hundreds of mostly idle memtables should not each hold 1/8 of a
        // write buffer.
        .setArenaBlockSize(ARENA_BLOCK_BYTES)
        // Producers compress batches when they want to; the broker stores them as received.
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
        .setTargetFileSizeBase(32 * MIB)
        .setLevelCompactionDynamicLevelBytes(true)
        .setTableFormatConfig(table);
  }

  synchronized void acquire() {
    if (closed) {
      throw new IllegalStateException("storage resources are closed");
    }
    openStores++;
  }

  synchronized void release() {
    if (openStores <= 0) {
      throw new IllegalStateException("release without a matching acquire");
    }
    openStores--;
  }

  /**
   * Frees the cache and write-buffer budget.
   *
   * @throws IllegalStateException if stores opened with these resources are still open
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (openStores > 0) {
      throw new IllegalStateException(
          "cannot close storage resources: " + openStores + " stores are still open");
    }
    closed = true;
    writeBufferManager.close();
    cache.close();
  }
}
