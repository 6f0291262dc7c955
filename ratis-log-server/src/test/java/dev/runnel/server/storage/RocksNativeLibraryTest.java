package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksNativeLibraryTest {
  @TempDir Path dir;

  @Test
  void theLibraryIsWrittenOnceAndReusedByLaterStarts() throws Exception {
    Path lib = RocksNativeLibrary.extract(dir).orElseThrow();
    assertTrue(Files.size(lib) > 1_000_000, "the whole library: " + Files.size(lib));
    FileTime written = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(lib, written);

    assertEquals(lib, RocksNativeLibrary.extract(dir).orElseThrow());
    assertEquals(written, Files.getLastModifiedTime(lib), "a later start must not write it again");
    assertEquals(List.of(lib), files());
  }

  @Test
  void aTruncatedCopyIsReplacedAndOtherBuildsAndLeftoversAreRemoved() throws Exception {
    Path lib = RocksNativeLibrary.extract(dir).orElseThrow();
    long size = Files.size(lib);
    Files.write(lib, new byte[100]); // e.g. a disk that lost the file's tail
    Path oldBuild = Files.createDirectories(dir.resolve("0123456789abcdef"));
    Files.write(oldBuild.resolve(lib.getFileName()), new byte[10]);

    assertEquals(lib, RocksNativeLibrary.extract(dir).orElseThrow());
    assertEquals(size, Files.size(lib));
    assertFalse(Files.exists(oldBuild));
    assertEquals(List.of(lib), files());
  }

  @Test
  void aFreshProcessLoadsTheKeptCopyAndLeavesNothingInItsTempDir() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path native1 = dir.resolve("native");
    for (int start = 0; start < 2; start++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + tmp,
          Child.class.getName(), native1.toString(), dir.resolve("db").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("value=v" + start), out);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.filter(f -> f.getFileName().toString().contains("rocksdb"))
          .toList(), "RocksJava's per-process temporary copy must not be made");
    }
    try (Stream<Path> kept = Files.walk(native1)) {
      assertEquals(1, kept.filter(Files::isRegularFile).count());
    }
  }

  /** Loads RocksDB the broker's way in a process of its own, writes and reads a key, dies. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      RocksNativeLibrary.load(Path.of(args[0]));
      try (Options o = new Options().setCreateIfMissing(true);
          RocksDB db = RocksDB.open(o, args[1])) {
        byte[] k = "k".getBytes();
        byte[] old = db.get(k);
        String next = old == null ? "v0" : "v" + (Integer.parseInt(new String(old).substring(1)) + 1);
        db.put(k, next.getBytes());
        System.out.println("value=" + new String(db.get(k)));
        System.out.flush();
        // Dies like a killed broker: no shutdown hooks, so nothing "deleted on exit" is deleted.
        Runtime.getRuntime().halt(0);
      }
    }
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
