package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

class DiskSpaceGuardTest {
  private final AtomicLong free = new AtomicLong(1000);
  private final AtomicLong now = new AtomicLong(0);
  private final DiskSpaceGuard guard = new DiskSpaceGuard(100, 200, 50, free::get, now::get);

  @Test
  void lowBelowTheMinimumAndOkOnlyAboveTheResumeLevel() {
    assertTrue(guard.check().isEmpty());
    free.set(99);
    DiskSpaceGuard.Change c = guard.check().orElseThrow();
    assertTrue(c.low());
    assertEquals(99, c.freeBytes());
    assertTrue(c.reason().contains("99 bytes free, below storage.min.free.bytes"), c.reason());
    assertTrue(guard.isLow());
    assertTrue(guard.check().isEmpty(), "no change reported twice");
    free.set(150);
    assertTrue(guard.check().isEmpty(), "between the two levels it stays low");
    free.set(200);
    assertFalse(guard.check().orElseThrow().low());
    assertEquals("", guard.reason());
    assertEquals(200, guard.lastFreeBytes());
  }

  @Test
  void aWriteThatFailedForLackOfSpaceHoldsTheDirectoryLowForAWhile() {
    guard.check();
    DiskSpaceGuard.Change c = guard.noSpace("group g, snapshot").orElseThrow();
    assertTrue(c.low());
    assertTrue(guard.reason().contains("snapshot"), guard.reason());
    assertTrue(guard.noSpace("again").isEmpty());
    now.set(49);
    assertTrue(guard.check().isEmpty(), "plenty free, but the hold has not passed");
    now.set(60);
    assertTrue(guard.noSpace("once more").isEmpty());
    now.set(100);
    assertTrue(guard.check().isEmpty(), "each failure extends the hold");
    now.set(110);
    assertFalse(guard.check().orElseThrow().low());
  }

  @Test
  void aFailingProbeIsTheCallersToReport() {
    DiskSpaceGuard g = new DiskSpaceGuard(1, 2, 0, () -> {
      throw new UncheckedIOException(new IOException("gone"));
    }, now::get);
    assertThrows(UncheckedIOException.class, g::check);
    assertFalse(g.isLow());
    assertEquals(-1, g.lastFreeBytes());
  }

  @Test
  void recognisesNoSpaceFailures() {
    RocksDBException rocks = new RocksDBException("append failed",
        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "x"));
    assertTrue(DiskSpaceGuard.isNoSpace(new StorageException("flush failed", rocks)));
    assertTrue(DiskSpaceGuard.isNoSpace(new RuntimeException(new IOException("No space left on device"))));
    assertFalse(DiskSpaceGuard.isNoSpace(new IOException("Input/output error")));
    assertFalse(DiskSpaceGuard.isNoSpace(new RocksDBException("corrupt",
        new Status(Status.Code.Corruption, Status.SubCode.None, "x"))));
  }

  @Test
  void refusesThresholdsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> new DiskSpaceGuard(-1, 0, 0, free::get, now::get));
    assertThrows(IllegalArgumentException.class, () -> new DiskSpaceGuard(10, 5, 0, free::get, now::get));
    assertThrows(IllegalArgumentException.class, () -> new DiskSpaceGuard(1, 2, -1, free::get, now::get));
  }
}
