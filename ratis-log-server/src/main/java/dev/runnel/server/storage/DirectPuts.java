package dev.runnel.server.storage;

import java.nio.ByteBuffer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Puts a value given as a view (a {@link ByteBuffer} over the Raft entry being applied) into a
 * write batch without allocating a Java copy of it. RocksJava takes either {@code byte[]}s, which
 * would mean one new array per batch (the largest allocation on a broker under load: a third of
 * all bytes allocated in a W1 profile), or direct buffers; so the view is copied into a direct
 * buffer kept for the next put, and RocksDB copies it from there into the write batch.
 *
 * <p>One per broker (in {@link StorageResources}), shared by its stores, so a broker hosting
 * hundreds of stores keeps one buffer, not hundreds; the lock is held for two memory copies. The
 * buffer grows with the largest value seen, up to {@code maxDirectBytes}; a larger value goes
 * through a {@code byte[]} as before.
 */
final class DirectPuts {
  private static final int MIN_BYTES = 4096;

  private final int maxDirectBytes;
  private ByteBuffer key = ByteBuffer.allocateDirect(256);
  private ByteBuffer value;

  DirectPuts(int maxDirectBytes) {
    if (maxDirectBytes < 0) {
      throw new IllegalArgumentException("maxDirectBytes must be >= 0, got " + maxDirectBytes);
    }
    this.maxDirectBytes = maxDirectBytes;
  }

  /** Adds {@code key -> value} to {@code wb}; {@code value}'s position is left unchanged. */
  synchronized void put(WriteBatch wb, ColumnFamilyHandle cf, byte[] k, ByteBuffer v) throws RocksDBException {
    int size = v.remaining();
    if (size > maxDirectBytes) {
      byte[] copy = new byte[size];
      v.duplicate().get(copy);
      wb.put(cf, k, copy);
      return;
    }
    if (key.capacity() < k.length) {
      key = ByteBuffer.allocateDirect(k.length);
    }
    if (value == null || value.capacity() < size) {
      value = ByteBuffer.allocateDirect(grownCapacity(size));
    }
    key.clear();
    key.put(k).flip();
    value.clear();
    value.put(v.duplicate()).flip();
    wb.put(cf, key, value);
  }

  /** Capacity of the direct value buffer, for tests. */
  synchronized int valueCapacity() {
    return value == null ? 0 : value.capacity();
  }

  /** Next power of two at or above {@code size}, at least 4 KiB, at most the cap. */
  private int grownCapacity(int size) {
    int c = Math.max(MIN_BYTES, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
    return Math.min(Math.max(c, size), maxDirectBytes);
  }
}
