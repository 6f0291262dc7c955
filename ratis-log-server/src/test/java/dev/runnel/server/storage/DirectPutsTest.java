package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.record.TestBatches;
import dev.runnel.server.storage.PartitionStore.BatchAppend;
import dev.runnel.server.storage.PartitionStore.StoredBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches reach the store as views of the Raft entry being applied. Whatever kind of view it is
 * (a slice of a larger array, read-only, direct, larger than the shared direct buffer), the store
 * keeps exactly the batch's bytes and leaves the view as it was.
 */
class DirectPutsTest {
  private static final PartitionId P = new PartitionId(new UUID(7, 8), 0);

  @TempDir Path dir;

  @Test
  void everyKindOfViewIsStoredExactlyAndLeftUnmoved() throws Exception {
    byte[] small = TestBatches.builder().records(3).build();
    byte[] large = TestBatches.builder().records(40).valueBytes(40_000).build(); // > 1 MiB cap
    byte[] medium = TestBatches.builder().records(5).valueBytes(10_000).build();

    // A slice in the middle of a larger array, as a view of a Raft entry is.
    byte[] entry = new byte[small.length + 100];
    System.arraycopy(small, 0, entry, 37, small.length);
    ByteBuffer slice = ByteBuffer.wrap(entry, 37, small.length).slice().asReadOnlyBuffer();
    ByteBuffer direct = ByteBuffer.allocateDirect(medium.length).put(medium).flip();
    ByteBuffer big = ByteBuffer.wrap(large).asReadOnlyBuffer();

    try (StorageResources resources = StorageResources.create(RocksDbPartitionStoreTest.settings(100));
        RocksDbPartitionStore store = RocksDbPartitionStore.open(dir, resources)) {
      store.append(new AppliedIndex(1, 1), List.of(
          new BatchAppend(P, TestBatches.header(small), slice),
          new BatchAppend(P, TestBatches.header(medium), direct),
          new BatchAppend(P, TestBatches.header(large), big)));

      assertEquals(0, slice.position(), "view position untouched");
      assertEquals(small.length, slice.remaining());
      assertEquals(0, direct.position());
      assertEquals(0, big.position());

      List<StoredBatch> read = store.read(P, 0, Integer.MAX_VALUE);
      assertEquals(3, read.size());
      assertArrayEquals(small, read.get(0).batch());
      assertArrayEquals(medium, read.get(1).batch());
      assertArrayEquals(large, read.get(2).batch());

      // One buffer for the broker, grown to the largest value under the cap, never beyond it.
      int capacity = resources.directPuts().valueCapacity();
      assertEquals(Integer.highestOneBit(medium.length - 1) << 1, capacity);
      assertEquals(true, large.length > StorageResources.DIRECT_PUT_MAX_BYTES);
    }
  }

  @Test
  void aNegativeCapIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DirectPuts(-1));
    assertEquals("maxDirectBytes must be >= 0, got -1", e.getMessage());
  }
}
