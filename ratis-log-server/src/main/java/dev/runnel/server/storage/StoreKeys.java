package dev.runnel.server.storage;

import dev.runnel.server.common.PartitionId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * Key layout of {@link RocksDbPartitionStore}. All integers are big-endian so that byte order is
 * numeric order; timestamps have their sign bit flipped so negative values would sort first too.
 * Every per-partition key starts with {@code kind(1) | topic id(16) | partition(4)}, so one store
 * can hold several partitions and a partition's keys of one kind are contiguous.
 *
 * <p>Column family {@code batches} holds the 0x03 keys; column family {@code default} holds the
 * rest (see {@link RocksHandles}).
 *
 * <pre>
 * 0x00                                        format marker -> "runnel.partition-store.v1"
 * 0x01                                        applied index -> term(8) | index(8)
 * 0x02 | topic | partition                    PartitionMeta (without producers)
 * 0x03 | topic | partition | base offset(8) | record count(4) | max timestamp(8) | size(4)
 *                                             -> the batch bytes exactly as produced
 * 0x04 | topic | partition | max timestamp(8) | base offset(8)
 *                                             -> empty (time index entry)
 * 0x05 | topic | partition | producer id(8)   ProducerState
 * </pre>
 *
 * <p>Batch keys carry count, timestamp and size so that trims and time-index rebuilds scan keys
 * only; {@code seekForPrev(prefix | offset | 0xFF..)} finds the batch containing an offset.
 */
final class StoreKeys {

  static final byte FORMAT = 0x00;
  static final byte APPLIED = 0x01;
  static final byte META = 0x02;
  static final byte BATCH = 0x03;
  static final byte TIME = 0x04;
  static final byte PRODUCER = 0x05;

  static final String FORMAT_VALUE = "runnel.partition-store.v2";

  static final int PARTITION_PREFIX_BYTES = 1 + 16 + 4;
  static final int BATCH_KEY_BYTES = PARTITION_PREFIX_BYTES + 8 + 4 + 8 + 4;
  static final int TIME_KEY_BYTES = PARTITION_PREFIX_BYTES + 8 + 8;

  /** The fields encoded in a batch key. */
  record BatchKey(long baseOffset, int recordCount, long maxTimestampMs, int sizeBytes) {
    long lastOffset() {
      return baseOffset + recordCount - 1;
    }
  }

  /** The fields encoded in a time-index key. */
  record TimeKey(long timestampMs, long offset) {}

  private StoreKeys() {}

  static byte[] single(byte kind) {
    return new byte[] {kind};
  }

  static ByteBuffer partitionPrefix(ByteBuffer b, byte kind, PartitionId p) {
    return b.put(kind).putLong(p.topicId().getMostSignificantBits())
        .putLong(p.topicId().getLeastSignificantBits()).putInt(p.partition());
  }

  static byte[] prefix(byte kind, PartitionId p) {
    return partitionPrefix(ByteBuffer.allocate(PARTITION_PREFIX_BYTES), kind, p).array();
  }

  /** The partition a per-partition key belongs to. */
  static PartitionId partitionOf(byte[] key) {
    if (key.length < PARTITION_PREFIX_BYTES) {
      throw new StorageException("key too short for a partition key: " + Arrays.toString(key));
    }
    final ByteBuffer b = ByteBuffer.wrap(key, 1, PARTITION_PREFIX_BYTES - 1);
    return new PartitionId(new UUID(b.getLong(), b.getLong()), b.getInt());
  }

  static byte[] meta(PartitionId p) {
    return prefix(META, p);
  }

  static byte[] producer(PartitionId p, long producerId) {
    final ByteBuffer b = ByteBuffer.allocate(PARTITION_PREFIX_BYTES + 8);
    return partitionPrefix(b, PRODUCER, p).putLong(producerId).array();
  }

  static long producerIdOf(byte[] key) {
    if (key.length != PARTITION_PREFIX_BYTES + 8) {
      throw new StorageException("producer key has " + key.length + " bytes");
    }
    return ByteBuffer.wrap(key).getLong(PARTITION_PREFIX_BYTES);
  }

  static byte[] batch(PartitionId p, BatchKey k) {
    final ByteBuffer b = ByteBuffer.allocate(BATCH_KEY_BYTES);
    return partitionPrefix(b, BATCH, p).putLong(k.baseOffset()).putInt(k.recordCount())
        .putLong(flip(k.maxTimestampMs())).putInt(k.sizeBytes()).array();
  }

  /** {@code prefix | offset}: sorts before every key of the batch based at {@code offset}. */
  static byte[] batchAt(PartitionId p, long offset) {
    final ByteBuffer b = ByteBuffer.allocate(PARTITION_PREFIX_BYTES + 8);
    return partitionPrefix(b, BATCH, p).putLong(offset).array();
  }

  /** Sorts after every key of a batch based at {@code offset} and before later batches. */
  static byte[] batchSeekForPrev(PartitionId p, long offset) {
    final byte[] key = Arrays.copyOf(batchAt(p, offset), BATCH_KEY_BYTES);
    Arrays.fill(key, PARTITION_PREFIX_BYTES + 8, BATCH_KEY_BYTES, (byte) 0xFF);
    return key;
  }

  static BatchKey decodeBatch(byte[] key) {
    if (key.length != BATCH_KEY_BYTES || key[0] != BATCH) {
      throw new StorageException("not a batch key: " + Arrays.toString(key));
    }
    final ByteBuffer b = ByteBuffer.wrap(key).position(PARTITION_PREFIX_BYTES);
    final BatchKey k = new BatchKey(b.getLong(), b.getInt(), flip(b.getLong()), b.getInt());
    if (k.baseOffset() < 0 || k.recordCount() < 1 || k.sizeBytes() < 1) {
      throw new StorageException("invalid batch key " + k);
    }
    return k;
  }

  static byte[] time(PartitionId p, long timestampMs, long offset) {
    final ByteBuffer b = ByteBuffer.allocate(TIME_KEY_BYTES);
    return partitionPrefix(b, TIME, p).putLong(flip(timestampMs)).putLong(offset).array();
  }

  /** {@code prefix | timestamp}: sorts before every time-index entry with that timestamp. */
  static byte[] timeAt(PartitionId p, long timestampMs) {
    final ByteBuffer b = ByteBuffer.allocate(PARTITION_PREFIX_BYTES + 8);
    return partitionPrefix(b, TIME, p).putLong(flip(timestampMs)).array();
  }

  static TimeKey decodeTime(byte[] key) {
    if (key.length != TIME_KEY_BYTES || key[0] != TIME) {
      throw new StorageException("not a time-index key: " + Arrays.toString(key));
    }
    final ByteBuffer b = ByteBuffer.wrap(key).position(PARTITION_PREFIX_BYTES);
    return new TimeKey(flip(b.getLong()), b.getLong());
  }

  /**
   * An exclusive upper bound for the keys starting with {@code prefix}: the prefix plus one (with
   * carry). No key of this layout falls between the prefixed keys and this bound.
   */
  static byte[] prefixEnd(byte[] prefix) {
    final byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (++end[i] != 0) {
        return end;
      }
    }
    throw new IllegalArgumentException("prefix has no upper bound: " + Arrays.toString(prefix));
  }

  static byte[] encodeApplied(long term, long index) {
    return ByteBuffer.allocate(16).putLong(term).putLong(index).array();
  }

  private static long flip(long timestampMs) {
    return timestampMs ^ Long.MIN_VALUE;
  }
}
