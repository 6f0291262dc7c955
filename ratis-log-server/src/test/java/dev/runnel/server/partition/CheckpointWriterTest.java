package dev.runnel.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CheckpointWriterTest {
  private final Timer timer = new SimpleMeterRegistry().timer("runnel.checkpoint.duration");

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
  }

  private static void awaitDone(CheckpointWriter.Task<?> task) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!task.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(task.isDone(), "task did not finish");
  }

  @Test
  void aTaskRunsOffTheCallersThreadAndGivesItsResultOrFailure() throws Exception {
    try (CheckpointWriter writer = new CheckpointWriter(1, timer)) {
      final Thread caller = Thread.currentThread();
      final CheckpointWriter.Task<Boolean> ran = writer.start(() -> Thread.currentThread() != caller);
      final CheckpointWriter.Task<Object> failed = writer.start(() -> {
        throw new IOException("disk gone");
      });
      awaitDone(ran);
      awaitDone(failed);
      assertTrue(ran.outcome());
      assertEquals("disk gone", assertThrows(IOException.class, failed::outcome).getMessage());
      assertEquals(2, timer.count(), "both timed, the failed one too");
    }
  }

  @Test
  void aQueuedTaskCancelledByItsOwnerNeverRuns() throws Exception {
    try (CheckpointWriter writer = new CheckpointWriter(1, timer)) {
      final CountDownLatch started = new CountDownLatch(1);
      final CountDownLatch release = new CountDownLatch(1);
      final CheckpointWriter.Task<String> blocker = writer.start(() -> {
        started.countDown();
        await(release);
        return "first";
      });
      await(started);
      final AtomicBoolean secondRan = new AtomicBoolean();
      final CheckpointWriter.Task<String> queued = writer.start(() -> {
        secondRan.set(true);
        return "second";
      });
      assertFalse(queued.isDone());
      assertThrows(IllegalStateException.class, queued::outcome, "not done yet");
      queued.cancelOrAwait(); // returns at once: it had not started
      assertTrue(queued.isDone());
      assertNull(queued.outcome());
      release.countDown();
      awaitDone(blocker);
      assertEquals("first", blocker.outcome());
      // The only thread is free again and takes what is queued next: this, not the cancelled task.
      final CheckpointWriter.Task<String> next = writer.start(() -> "next");
      awaitDone(next);
      assertEquals("next", next.outcome());
      assertFalse(secondRan.get(), "a cancelled task ran");
    }
  }

  @Test
  void cancellingARunningTaskWaitsForItsEnd() throws Exception {
    try (CheckpointWriter writer = new CheckpointWriter(1, timer)) {
      final CountDownLatch started = new CountDownLatch(1);
      final AtomicBoolean finished = new AtomicBoolean();
      final CheckpointWriter.Task<String> task = writer.start(() -> {
        started.countDown();
        Thread.sleep(200);
        finished.set(true);
        return "done";
      });
      await(started);
      task.cancelOrAwait();
      assertTrue(finished.get(), "returned before the running work ended");
      assertEquals("done", task.outcome());
    }
  }

  @Test
  void aClosedWriterFailsNewTasksAndRejectsBadSizes() throws Exception {
    final CheckpointWriter writer = new CheckpointWriter(1, timer);
    writer.close();
    final CheckpointWriter.Task<String> task = writer.start(() -> "never");
    assertTrue(task.isDone());
    assertTrue(assertThrows(IllegalStateException.class, task::outcome).getMessage()
        .contains("closed"));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointWriter(0, timer));
  }
}
