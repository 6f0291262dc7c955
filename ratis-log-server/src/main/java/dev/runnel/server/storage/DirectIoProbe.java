package dev.runnel.server.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Finds out whether a directory's file system takes O_DIRECT writes, the way RocksDB will make
 * them: open a file with O_DIRECT and write one block from an aligned buffer. Some file systems
 * refuse the open (older tmpfs, some FUSE and network file systems), others the write; RocksDB
 * would only find out at its first flush and then stop taking writes.
 */
public final class DirectIoProbe {

  static final String PROBE_FILE = ".direct-io-probe";

  private DirectIoProbe() {
  }

  /**
   * Empty if {@code dir} takes O_DIRECT writes, otherwise why not (the file system's error).
   *
   * @throws IOException if the probe file cannot be created or removed at all, with or without
   *     O_DIRECT: the directory itself is the problem, not direct I/O
   */
  public static Optional<String> unsupportedReason(Path dir) throws IOException {
    final Path file = dir.resolve(PROBE_FILE);
    Files.deleteIfExists(file);
    try {
      final int block = Math.toIntExact(Math.max(4096, Files.getFileStore(dir).getBlockSize()));
      final ByteBuffer buffer = ByteBuffer.allocateDirect(2 * block).alignedSlice(block);
      buffer.limit(block);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
      }
      return Optional.empty();
    } catch (UnsupportedOperationException | IOException e) {
      if (!Files.exists(file)) {
        // Tell "no O_DIRECT" apart from "cannot create a file here": the latter is not ours to
        // paper over by falling back.
        Files.write(file, new byte[0]);
      }
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
