package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.StoreKeys.BatchKey;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

  private static final PartitionId P = new PartitionId(new UUID(-5, 7), 3);

  private static int cmp(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  @Test
  void batchKeysSortByOffsetAndRoundTrip() {
    final BatchKey k = new BatchKey(256, 4, 1_700_000_000_000L, 999);
    final byte[] key = StoreKeys.batch(P, k);
    assertEquals(StoreKeys.BATCH_KEY_BYTES, key.length);
    assertEquals(k, StoreKeys.decodeBatch(key));
    assertEquals(P, StoreKeys.partitionOf(key));
    final byte[] next = StoreKeys.batch(P, new BatchKey(260, 1, 0, 1));
    assertTrue(cmp(StoreKeys.batchAt(P, 256), key) < 0);
    assertTrue(cmp(key, StoreKeys.batchSeekForPrev(P, 256)) < 0);
    assertTrue(cmp(StoreKeys.batchSeekForPrev(P, 259), next) < 0);
    assertTrue(cmp(next, StoreKeys.prefixEnd(StoreKeys.prefix(StoreKeys.BATCH, P))) < 0);
  }

  @Test
  void timeKeysSortByTimestampIncludingNegativeOnes() {
    final byte[] negative = StoreKeys.time(P, -1, 9);
    final byte[] zero = StoreKeys.time(P, 0, 1);
    final byte[] later = StoreKeys.time(P, 5, 0);
    assertTrue(cmp(negative, zero) < 0 && cmp(zero, later) < 0);
    assertEquals(new StoreKeys.TimeKey(-1, 9), StoreKeys.decodeTime(negative));
    assertTrue(cmp(StoreKeys.timeAt(P, 0), zero) < 0);
  }

  @Test
  void prefixEndCarries() {
    assertArrayEquals(new byte[] {1, 0}, StoreKeys.prefixEnd(new byte[] {0, (byte) 0xFF}));
    assertArrayEquals(new byte[] {4}, StoreKeys.prefixEnd(new byte[] {3}));
    assertThrows(IllegalArgumentException.class,
        () -> StoreKeys.prefixEnd(new byte[] {(byte) 0xFF}));
  }

  @Test
  void partitionsOfOneTopicDoNotOverlap() {
    final PartitionId q = new PartitionId(P.topicId(), 4);
    assertTrue(cmp(StoreKeys.prefixEnd(StoreKeys.prefix(StoreKeys.BATCH, P)),
        StoreKeys.prefix(StoreKeys.BATCH, q)) <= 0);
    assertThrows(StorageException.class, () -> StoreKeys.decodeBatch(new byte[3]));
  }
}
