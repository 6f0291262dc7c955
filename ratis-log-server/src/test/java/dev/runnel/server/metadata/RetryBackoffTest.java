package dev.runnel.server.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RetryBackoff<String> backoff = new RetryBackoff<>(1_000, 8_000, now::get);

  @Test
  void failuresWaitLongerEachTimeUpToTheMaximum() {
    assertTrue(backoff.due("g@0"));
    assertTrue(backoff.failed("g@0"), "the first failure is worth a warning");
    assertFalse(backoff.due("g@0"));
    now.addAndGet(999);
    assertFalse(backoff.due("g@0"));
    now.addAndGet(1);
    assertTrue(backoff.due("g@0"));
    long[] expected = {2_000, 4_000, 8_000, 8_000};
    for (long delay : expected) {
      assertFalse(backoff.failed("g@0"), "later failures are not");
      assertEquals(delay, backoff.delayMs("g@0"));
      now.addAndGet(delay - 1);
      assertFalse(backoff.due("g@0"));
      now.addAndGet(1);
      assertTrue(backoff.due("g@0"));
    }
    assertTrue(backoff.due("other"), "keys are independent");
  }

  @Test
  void successForgetsTheKey() {
    backoff.failed("g@0");
    backoff.succeeded("g@0");
    assertTrue(backoff.due("g@0"));
    assertEquals(0, backoff.delayMs("g@0"));
    assertTrue(backoff.failed("g@0"), "a failure after a success is a first failure again");
  }

  @Test
  void keysNobodyRetriesAreDroppedOnceThereAreMany() {
    for (int i = 0; i < 1024; i++) {
      backoff.failed("old" + i);
    }
    assertEquals(1024, backoff.waiting());
    now.addAndGet(1_000 + 2 * 8_000 + 1);
    backoff.failed("new");
    assertEquals(1, backoff.waiting());
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff<>(0, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff<>(10, 5, now::get));
  }
}
