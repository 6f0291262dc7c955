package dev.runnel.protocol;

/**
 * The key-to-partition function shared by every Runnel client and the broker: the same as Apache
 * Kafka's default partitioner for keyed records, {@code toPositive(murmur2(key)) % partitions}, so a
 * key lands in the partition Kafka would pick for the same key bytes and partition count.
 */
public final class KeyPartitioner {
  private KeyPartitioner() {}

  /** The partition of a key among {@code numPartitions}. */
  public static int partition(byte[] key, int numPartitions) {
    if (numPartitions <= 0) {
      throw new IllegalArgumentException("numPartitions must be positive: " + numPartitions);
    }
    return toPositive(murmur2(key)) % numPartitions;
  }

  /** Kafka's positive mapping: clears the sign bit (not Math.abs, which fails for MIN_VALUE). */
  public static int toPositive(int n) {
    return n & 0x7fffffff;
  }

  /** 32-bit MurmurHash2 with Kafka's seed, byte order and tail handling. */
  public static int murmur2(byte[] data) {
    final int length = data.length;
    final int seed = 0x9747b28c;
    final int m = 0x5bd1e995;
    final int r = 24;
    int h = seed ^ length;
    final int length4 = length / 4;
    for (int i = 0; i < length4; i++) {
      final int i4 = i * 4;
      int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
          + ((data[i4 + 3] & 0xff) << 24);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h *= m;
      h ^= k;
    }
    // The remaining 1 to 3 bytes, deliberately falling through like the reference implementation.
    switch (length % 4) {
      case 3:
        h ^= (data[(length & ~3) + 2] & 0xff) << 16;
      // fall through
      case 2:
        h ^= (data[(length & ~3) + 1] & 0xff) << 8;
      // fall through
      case 1:
        h ^= data[length & ~3] & 0xff;
        h *= m;
      // fall through
      default:
        break;
    }
    h ^= h >>> 13;
    h *= m;
    h ^= h >>> 15;
    return h;
  }
}
