package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryDataFilesTest {
  private static final int MAX = 1 << 20;

  @TempDir
  Path dir;

  private static EntryDataFiles.Payload bytes(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void append(EntryDataFiles f, long term, long index, String s) throws IOException {
    f.append(term, index, s.getBytes(StandardCharsets.UTF_8).length, bytes(s));
  }

  private static String read(EntryDataFiles f, long term, long index) throws IOException {
    ByteBuffer b = f.read(term, index);
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  private List<Path> dataFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".data")).sorted().toList();
    }
  }

  @Test
  void payloadsAreReadBackByIndexAndTermAfterAReopen() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      append(f, 1, 1, "one");
      append(f, 1, 2, "two");
      f.append(2, 3, 0, out -> { });
      f.sync();
      assertEquals("two", read(f, 1, 2));
      assertEquals(0, f.read(2, 3).remaining());
    }
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      assertEquals("one", read(f, 1, 1));
      assertEquals("two", read(f, 1, 2));
      assertArrayEquals(new long[] {1, 3}, f.keptRange());
      // A new run appends to a new file and both are read.
      append(f, 2, 4, "four");
      assertEquals("four", read(f, 2, 4));
      assertEquals(2, f.fileCount());
    }
  }

  @Test
  void aPayloadOfAnotherTermOrAMissingOneIsReportedAsDamage() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      append(f, 3, 7, "seven");
      StorageException wrongTerm = assertThrows(StorageException.class, () -> f.read(4, 7));
      assertTrue(wrongTerm.isDamage());
      assertTrue(wrongTerm.getMessage().contains("is of term 3, not 4"), wrongTerm.getMessage());
      StorageException missing = assertThrows(StorageException.class, () -> f.read(3, 8));
      assertTrue(missing.isDamage());
      assertTrue(missing.getMessage().contains("no payload kept for Raft entry 8"), missing.getMessage());
    }
  }

  @Test
  void writingAnIndexAgainDropsItAndEverythingAfterIt() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 64, MAX, MAX)) {
      for (int i = 1; i <= 5; i++) {
        append(f, 1, i, "t1-" + i);
      }
      f.truncateFrom(4);
      assertThrows(StorageException.class, () -> f.read(1, 4));
      append(f, 2, 3, "t2-3");
      assertEquals("t2-3", read(f, 2, 3));
      assertThrows(StorageException.class, () -> f.read(1, 3));
      assertThrows(StorageException.class, () -> f.read(1, 5));
      assertEquals("t1-2", read(f, 1, 2));
      f.sync();
    }
    // Replaying the files in order gives the same answer, though the old records are still there.
    try (EntryDataFiles f = EntryDataFiles.open(dir, 64, MAX, MAX)) {
      assertEquals("t2-3", read(f, 2, 3));
      assertEquals("t1-2", read(f, 1, 2));
      assertArrayEquals(new long[] {1, 3}, f.keptRange());
    }
  }

  @Test
  void aTornTailEndsTheFileAndIsLeftAsFound() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      append(f, 1, 1, "kept");
      append(f, 1, 2, "torn-away");
      f.sync();
    }
    Path file = dataFiles().get(0);
    long full = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(full - 3);
    }
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      assertEquals("kept", read(f, 1, 1));
      assertThrows(StorageException.class, () -> f.read(1, 2));
    }
    assertEquals(full - 3, Files.size(file), "nothing is deleted");
  }

  @Test
  void recordsLargerThanTheAppendLimitStillReadAfterItWasLowered() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, 64, 64)) {
      append(f, 1, 1, "x".repeat(60));
      f.sync();
    }
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, 16, 64)) {
      assertEquals("x".repeat(60), read(f, 1, 1));
      assertThrows(IllegalArgumentException.class, () -> append(f, 1, 2, "y".repeat(17)));
    }
    // Beyond the read limit a length can only be damage: the record is not read.
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, 16, 32)) {
      assertThrows(StorageException.class, () -> f.read(1, 1));
    }
  }

  @Test
  void aFlippedByteFailsTheChecksumOnRead() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      append(f, 1, 1, "first");
      append(f, 1, 2, "second");
      f.sync();
      Path file = dataFiles().get(0);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.seek(EntryDataFiles.HEADER_BYTES + 1);  // inside "first"
        raf.write('X');
      }
      StorageException e = assertThrows(StorageException.class, () -> f.read(1, 1));
      assertTrue(e.isDamage());
      assertTrue(e.getMessage().contains("fails its CRC-32C"), e.getMessage());
      assertEquals("second", read(f, 1, 2));
    }
  }

  @Test
  void purgeDeletesOnlyFilesWhollyCoveredAndNeverTheCurrentOne() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 40, MAX, MAX)) {
      // Each record is 24 bytes of framing plus its payload: one or two per 40-byte file.
      for (int i = 1; i <= 6; i++) {
        append(f, 1, i, "payload-" + i);
      }
      f.sync();
      int files = f.fileCount();
      assertTrue(files >= 3, "files: " + files);
      int deleted = f.purgeUpTo(3);
      assertTrue(deleted >= 1);
      assertEquals(files - deleted, dataFiles().size());
      assertThrows(StorageException.class, () -> f.read(1, 3));
      assertEquals("payload-4", read(f, 1, 4));
      assertEquals(files - deleted - 1, f.purgeUpTo(100));
      assertEquals(1, dataFiles().size(), "the file taking appends stays");
      append(f, 1, 7, "payload-7");
      assertEquals("payload-7", read(f, 1, 7));
    }
  }

  @Test
  void anAppendThatFailsPartWayFailsEveryLaterSync() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, MAX, MAX)) {
      IOException e = assertThrows(IOException.class, () -> f.append(1, 1, 10, out -> {
        out.write(new byte[4]);
        throw new IOException("disk went away");
      }));
      assertEquals("disk went away", e.getMessage());
      IOException later = assertThrows(IOException.class, f::sync);
      assertTrue(later.getMessage().contains("an earlier append failed"), later.getMessage());
      assertThrows(IOException.class, () -> append(f, 1, 2, "x"));
    }
  }

  @Test
  void aPayloadOfAnotherSizeThanAnnouncedOrTooLargeIsRefused() throws IOException {
    try (EntryDataFiles f = EntryDataFiles.open(dir, 1 << 20, 8, 8)) {
      IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
          () -> f.append(1, 1, 9, bytes("123456789")));
      assertTrue(big.getMessage().contains("9 bytes of payload, not 0..8"), big.getMessage());
      IOException shortPayload = assertThrows(IOException.class, () -> f.append(1, 1, 5, bytes("abc")));
      assertTrue(shortPayload.getMessage().contains("wrote 3 bytes of payload, not 5"),
          shortPayload.getMessage());
    }
  }

  @Test
  void anUnexpectedFileNameIsNamedNotIgnored() throws IOException {
    Files.writeString(dir.resolve("notes.data"), "hello");
    IOException e = assertThrows(IOException.class, () -> EntryDataFiles.open(dir, 1 << 20, MAX, MAX));
    assertTrue(e.getMessage().contains("notes.data"), e.getMessage());
  }
}
