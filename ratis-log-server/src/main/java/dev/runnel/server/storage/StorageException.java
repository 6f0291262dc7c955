package dev.runnel.server.storage;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * The store's disk state cannot be read or written: I/O failure, corruption detected by a checksum
 * or a consistency check, or a store that failed earlier and must be reopened. Maps to
 * {@code STORAGE_ERROR}. The store never returns data it could not verify; it throws this instead.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean damage;

  public StorageException(String message) {
    this(message, null, false);
  }

  public StorageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private StorageException(String message, Throwable cause, boolean damage) {
    super(message, cause);
    this.damage = damage;
  }

  /** The stored data itself is wrong (checksum, inconsistency): retrying cannot help. */
  public static StorageException damaged(String message) {
    return new StorageException(message, null, true);
  }

  /** A RocksDB failure; a {@code Corruption} status means the files are damaged. */
  static StorageException of(String message, RocksDBException e) {
    boolean corrupt = e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
    return new StorageException(message + ": " + e.getMessage(), e, corrupt);
  }

  /**
   * Whether the replica's files are damaged, as opposed to unavailable (disk full, I/O error): a
   * damaged replica is taken out of service and rebuilt from the others.
   */
  public boolean isDamage() {
    return damage;
  }
}
