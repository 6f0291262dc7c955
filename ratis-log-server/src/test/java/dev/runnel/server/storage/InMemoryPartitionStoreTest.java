package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.record.TestBatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the store contract on {@link InMemoryPartitionStore}; "reopen" goes through a checkpoint. */
class InMemoryPartitionStoreTest extends PartitionStoreContractTest {

  private int reopens;

  @Override
  protected PartitionStore openStore(Path dir, int maxProducers) {
    return InMemoryPartitionStore.create(maxProducers);
  }

  @Override
  protected PartitionStore reopenStore(PartitionStore store, Path dir, int maxProducers)
      throws IOException {
    final Path copy = dir.resolveSibling(dir.getFileName() + "-reopen-" + reopens++);
    store.checkpoint(copy);
    store.close();
    return InMemoryPartitionStore.load(copy, maxProducers);
  }

  @Override
  protected PartitionStore openCheckpoint(Path checkpointDir) {
    return InMemoryPartitionStore.load(checkpointDir);
  }

  @Test
  void damagedCheckpointIsRefused() throws IOException {
    final PartitionStore s = open();
    appendOne(s, P0, TestBatches.batch(3));
    final Path target = tmp.resolve("ckpt");
    s.checkpoint(target);
    final Path file = target.resolve(InMemoryCheckpoint.FILE_NAME);
    final byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    final StorageException e =
        assertThrows(StorageException.class, () -> InMemoryPartitionStore.load(target));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertThrows(StorageException.class, () -> InMemoryPartitionStore.load(tmp.resolve("none")));
  }
}
