package dev.runnel.server.storage;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A RocksDB iterator confined to {@code [lower, upper)}, with the native handles it needs, that
 * turns a failed iteration into a {@link StorageException}.
 *
 * <p>RocksDB reports a read error (for example a block checksum mismatch) by making the iterator
 * invalid, exactly like reaching the end; only {@code status()} tells them apart. {@link #valid()}
 * always asks, so a damaged store can never look like a shorter log.
 */
final class RocksScan implements AutoCloseable {

  private final String context;
  private final Slice lower;
  private final Slice upper;
  private final ReadOptions readOptions;
  private final RocksIterator iterator;

  /**
   * @param fillCache whether the data blocks read go into the shared block cache; scans that read
   *     each block once (batches, which a consumer reads once per pass and the OS page cache holds
   *     anyway) leave it alone, so the cache keeps what is read repeatedly
   */
  RocksScan(RocksDB db, ColumnFamilyHandle cf, String context, byte[] lowerBound,
      byte[] upperBound, boolean fillCache) {
    this.context = context;
    this.lower = new Slice(lowerBound);
    this.upper = new Slice(upperBound);
    // Checksums are verified by default; said explicitly because correctness depends on it.
    this.readOptions = new ReadOptions().setVerifyChecksums(true).setIterateLowerBound(lower)
        .setIterateUpperBound(upper).setFillCache(fillCache);
    this.iterator = db.newIterator(cf, readOptions);
  }

  RocksIterator it() {
    return iterator;
  }

  /** Whether the iterator is on an entry; throws if it stopped because of an error. */
  boolean valid() {
    if (iterator.isValid()) {
      return true;
    }
    try {
      iterator.status();
    } catch (RocksDBException e) {
      throw StorageException.of(context + ": read failed", e);
    }
    return false;
  }

  @Override
  public void close() {
    iterator.close();
    readOptions.close();
    lower.close();
    upper.close();
  }
}
