package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.record.TestBatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole store contract and the RocksDB checks again, with flushes and compactions writing
 * O_DIRECT (storage.direct.io, the broker's default where the file system takes it): data written
 * past the page cache must read back the same, survive a crash the same and be trimmed the same.
 */
class RocksDbDirectWritesTest extends RocksDbPartitionStoreTest {

  @BeforeAll
  static void fileSystemTakesDirectWrites(@TempDir Path dir) throws IOException {
    // Linux's ext4, xfs and (since 6.6) tmpfs do; the tests below are void without it.
    final Optional<String> reason = DirectIoProbe.unsupportedReason(dir);
    assertEquals(Optional.empty(), reason, "the test directory's file system takes O_DIRECT");
  }

  @Override
  boolean directWrites() {
    return true;
  }

  @Test
  void rocksDbIsToldToWriteDirectly() throws IOException {
    final Path dir = newDir();
    final PartitionStore s = open(dir, 10);
    appendOne(s, P0, TestBatches.builder().records(2).valueBytes(10_000).seed(1).build());
    s.flush();
    // RocksDB writes the options it runs with to OPTIONS-<n> in the database directory at open.
    final List<String> lines;
    try (var files = Files.list(dir)) {
      final Path options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
          .max(Path::compareTo).orElseThrow();
      lines = Files.readAllLines(options);
    }
    assertTrue(lines.stream().anyMatch(l -> l.trim().equals("use_direct_io_for_flush_and_compaction=true")),
        "OPTIONS file: " + lines);
    assertTrue(lines.stream().anyMatch(l -> l.trim().equals("use_direct_reads=false")),
        "reads stay buffered: " + lines);
  }
}
