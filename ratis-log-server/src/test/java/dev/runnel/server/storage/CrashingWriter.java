package dev.runnel.server.storage;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.record.TestBatches;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link RocksDbPartitionStoreTest} (arguments: directory, flushed, total,
 * whether flushes write with O_DIRECT): appends entries 1..total (one batch
 * {@link #entry}(i) each to P0), flushes after entry {@code flushed}, then halts the JVM without
 * closing anything, like a crash. The batches are large enough that RocksDB also flushes on its own
 * (1 MiB write buffers) while the later entries are appended.
 */
final class CrashingWriter {

  private CrashingWriter() {}

  /** The batch of entry {@code i}: 2 records, about 40 KB. */
  static byte[] entry(int i) {
    return TestBatches.builder().records(2).valueBytes(20_000).seed(i).build();
  }

  public static void main(String[] args) throws Exception {
    final Path dir = Path.of(args[0]);
    final int flushed = Integer.parseInt(args[1]);
    final int total = Integer.parseInt(args[2]);
    final boolean directWrites = Boolean.parseBoolean(args[3]);
    // The library copy goes next to the store: this process halts, and RocksJava's default copy in
    // /tmp would never be deleted (one leaked 15 MB file per test run).
    final StorageResources resources = StorageResources.create(
        RocksDbPartitionStoreTest.settings(10, directWrites), dir.resolveSibling(dir.getFileName() + "-native"));
    final RocksDbPartitionStore store = RocksDbPartitionStore.open(dir, resources);
    for (int i = 1; i <= total; i++) {
      store.append(new AppliedIndex(1, i),
          List.of(TestBatches.append(PartitionStoreContractTest.P0, entry(i))));
      if (i == flushed) {
        store.flush();
      }
    }
    System.out.println("appended " + total);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
