package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectIoProbeTest {

  @TempDir
  Path dir;

  @Test
  void aLocalFileSystemTakesDirectWritesAndTheProbeLeavesNothingBehind() throws IOException {
    assertEquals(Optional.empty(), DirectIoProbe.unsupportedReason(dir));
    assertFalse(Files.exists(dir.resolve(DirectIoProbe.PROBE_FILE)));
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aLeftoverProbeFileFromACrashIsReplaced() throws IOException {
    Files.writeString(dir.resolve(DirectIoProbe.PROBE_FILE), "left by a crashed start");
    assertEquals(Optional.empty(), DirectIoProbe.unsupportedReason(dir));
    assertFalse(Files.exists(dir.resolve(DirectIoProbe.PROBE_FILE)));
  }

  @Test
  void aMissingDirectoryIsAnErrorNotAFallback() {
    assertThrows(IOException.class, () -> DirectIoProbe.unsupportedReason(dir.resolve("missing")));
  }
}
