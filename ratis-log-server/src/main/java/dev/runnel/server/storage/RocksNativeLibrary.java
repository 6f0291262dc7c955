package dev.runnel.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from one extracted copy per library build, kept in a directory
 * of the broker's own.
 *
 * <p>RocksJava's default extracts its ~15 MB library to a new temporary file in
 * {@code java.io.tmpdir} on every start and deletes it only when the JVM exits normally. A broker
 * that is killed (kill -9, the OOM killer, a crash test) leaves its copy behind: 490 copies, 7.5 GB,
 * had piled up in /tmp on a development machine. Here the copy is named after the SHA-256 of the
 * library, so it is written once and reused by every restart, and copies of other builds are
 * removed when a new build first starts.
 */
final class RocksNativeLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(RocksNativeLibrary.class);

  private RocksNativeLibrary() {}

  /**
   * Loads the library from {@code dir}, extracting it there first if needed. If that fails (no
   * library for this platform in the jar, a read-only directory), falls back to RocksJava's own
   * loading and says why.
   */
  static synchronized void load(Path dir) {
    try {
      Optional<Path> lib = extract(dir);
      if (lib.isPresent()) {
        RocksDB.loadLibrary(List.of(lib.get().getParent().toString()));
        return;
      }
      LOG.warn("No RocksDB library for this platform under the name {}; using RocksJava's loader",
          Environment.getJniLibraryFileName("rocksdb"));
    } catch (IOException | UncheckedIOException | UnsatisfiedLinkError e) {
      LOG.warn("Cannot load RocksDB's library from {} ({}); using RocksJava's loader, which "
          + "extracts a temporary copy per process", dir, e.toString());
    }
    RocksDB.loadLibrary();
  }

  /**
   * The library's file under {@code dir/<sha-256 prefix>/}, written if missing, or empty if the
   * jar has no library for this platform. Safe against concurrent and interrupted extractions:
   * the file appears under its final name only complete (written aside, then renamed).
   */
  static Optional<Path> extract(Path dir) throws IOException {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    String hash;
    long size;
    try (InputStream in = resource(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      MessageDigest sha = sha256();
      try (DigestInputStream d = new DigestInputStream(in, sha)) {
        size = d.transferTo(OutputStream.nullOutputStream());
      }
      hash = HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
    // The name RocksDB.loadLibrary(List) looks for in each directory it is given.
    Path target = dir.resolve(hash).resolve(Environment.getJniLibraryFileName("rocksdbjni"));
    if (!Files.isRegularFile(target) || Files.size(target) != size) {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".extract-", ".tmp");
      try (InputStream in = resource(resource)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      LOG.info("Extracted RocksDB's library to {}", target);
    }
    removeOtherBuilds(dir, hash);
    return Optional.of(target);
  }

  private static void removeOtherBuilds(Path dir, String keep) throws IOException {
    try (DirectoryStream<Path> builds = Files.newDirectoryStream(dir)) {
      for (Path b : builds) {
        if (!b.getFileName().toString().equals(keep) && Files.isDirectory(b)) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(b)) {
            for (Path f : files) {
              Files.deleteIfExists(f);
            }
          }
          Files.deleteIfExists(b);
        }
      }
    }
  }

  private static InputStream resource(String name) {
    return RocksDB.class.getClassLoader().getResourceAsStream(name);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
