package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.server.config.ConfigException;
import dev.runnel.server.testkit.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * storage.direct.io against real file systems: the test directory's (ext4 or tmpfs, which take
 * O_DIRECT) and a ramfs mounted for the test (which refuses it). Mounting needs root; without it
 * the ramfs cases are skipped, and say so.
 */
class DirectIoSettingTest {

  @TempDir
  static Path tmp;
  private static Path ramfs;

  @BeforeAll
  static void mountRamfs() throws Exception {
    final Path dir = Files.createDirectories(tmp.resolve("ramfs"));
    final Process p = new ProcessBuilder("mount", "-t", "ramfs", "ramfs", dir.toString())
        .redirectErrorStream(true).start();
    if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
      ramfs = dir;
    }
  }

  @AfterAll
  static void unmountRamfs() throws Exception {
    if (ramfs != null) {
      // Lazy: this JVM keeps the RocksDB library it loaded from a broker's data directory mapped.
      new ProcessBuilder("umount", "-l", ramfs.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static double directWrites(Broker b) {
    return b.meters().get("runnel.storage.direct.writes").gauge().value();
  }

  @Test
  void autoWritesDirectlyWhereTheFileSystemTakesIt() throws IOException {
    try (LocalCluster c = LocalCluster.start(1, tmp.resolve("ext"))) {
      assertEquals(1.0, directWrites(c.broker(0).orElseThrow()));
    }
  }

  @Test
  void offUsesThePageCache() throws IOException {
    try (LocalCluster c = LocalCluster.start(1, tmp.resolve("off"),
        Map.of("storage.direct.io", "off"))) {
      assertEquals(0.0, directWrites(c.broker(0).orElseThrow()));
    }
  }

  @Test
  void autoFallsBackOnAFileSystemWithoutODirect() throws IOException {
    assumeTrue(ramfs != null, "mounting a ramfs needs root");
    // A ramfs reports no free space; the disk watch must not stop the replicas meanwhile.
    try (LocalCluster c = LocalCluster.start(1, ramfs.resolve("auto"),
        Map.of("storage.min.free.bytes", "0"))) {
      assertEquals(0.0, directWrites(c.broker(0).orElseThrow()));
    }
  }

  @Test
  void onRefusesToStartOnAFileSystemWithoutODirect() {
    assumeTrue(ramfs != null, "mounting a ramfs needs root");
    final Path dir = ramfs.resolve("on");
    final ConfigException e = assertThrows(ConfigException.class,
        () -> LocalCluster.start(1, dir, Map.of("storage.direct.io", "on")).close());
    assertTrue(e.getMessage().contains("storage.direct.io is on")
        && e.getMessage().contains(dir.resolve("broker-0").toString()), e.getMessage());
  }
}
