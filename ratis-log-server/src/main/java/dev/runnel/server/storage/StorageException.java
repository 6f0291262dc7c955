package dev.runnel.server.storage;

/**
 * The store's disk state cannot be read or written: I/O failure, corruption detected by a checksum
 * or a consistency check, or a store that failed earlier and must be reopened. Maps to
 * {@code STORAGE_ERROR}. The store never returns data it could not verify; it throws this instead.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
