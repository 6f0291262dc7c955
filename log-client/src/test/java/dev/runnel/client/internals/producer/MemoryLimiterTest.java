package dev.runnel.client.internals.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.client.errors.RecordTooLargeException;
import dev.runnel.client.errors.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryLimiterTest {

  @Test
  void fullBufferBlocksForMaxBlockThenFailsWithAClearMessage() {
    MemoryLimiter m = new MemoryLimiter(1_000);
    m.reserve(900, 0);
    long start = System.nanoTime();
    TimeoutException e = assertThrows(TimeoutException.class, () -> m.reserve(200, 150));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMs >= 140, "blocked only " + waitedMs + " ms");
    assertTrue(waitedMs < 5_000, "blocked " + waitedMs + " ms");
    assertTrue(e.getMessage().contains("buffer.memory (1000 bytes)"), e.getMessage());
    assertTrue(e.getMessage().contains("max.block.ms (150 ms)"), e.getMessage());
    assertEquals(100, m.availableBytes(), "a failed reservation takes nothing");
  }

  @Test
  void releaseWakesABlockedReservation() throws Exception {
    MemoryLimiter m = new MemoryLimiter(1_000);
    m.reserve(1_000, 0);
    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> m.reserve(500, 10_000));
    Thread.sleep(50);
    assertTrue(!blocked.isDone(), "must wait while the buffer is full");
    m.release(600);
    blocked.get(5, TimeUnit.SECONDS);
    assertEquals(100, m.availableBytes());
  }

  @Test
  void recordLargerThanTheWholeBufferFailsAtOnce() {
    MemoryLimiter m = new MemoryLimiter(1_000);
    RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
        () -> m.reserve(1_001, 60_000));
    assertTrue(e.getMessage().contains("buffer.memory of 1000 bytes"), e.getMessage());
  }
}
