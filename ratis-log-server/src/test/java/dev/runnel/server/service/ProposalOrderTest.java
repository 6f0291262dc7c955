package dev.runnel.server.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.common.PartitionId;
import dev.runnel.server.service.ProposalOrder.Ticket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProposalOrderTest {
  private static final PartitionId P0 = new PartitionId(new UUID(1, 1), 0);
  private static final PartitionId P1 = new PartitionId(new UUID(1, 1), 1);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Integer> log = new ArrayList<>();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static Ticket t(PartitionId p, long producer, int epoch, int base, int count) {
    return new Ticket(p, producer, epoch, base, count);
  }

  /** Proposes like ProduceHandler: when ready, "append" to the log, then report it proposed. */
  private CompletableFuture<Void> propose(ProposalOrder order, Ticket... tickets) {
    List<Ticket> ts = List.of(tickets);
    return order.ready(ts).thenRun(() -> {
      log.add(tickets[0].baseSequence());
      order.proposed(ts);
    });
  }

  @Test
  void batchesInOrderGoAtOnceAndAnOvertakingOneWaitsForItsPredecessor() {
    ProposalOrder order = new ProposalOrder(60_000, 100, timer);
    assertTrue(propose(order, t(P0, 7, 0, 0, 10)).isDone(), "first batch of a producer");
    CompletableFuture<Void> third = propose(order, t(P0, 7, 0, 20, 10));
    CompletableFuture<Void> fourth = propose(order, t(P0, 7, 0, 30, 5));
    assertFalse(third.isDone());
    assertFalse(fourth.isDone());
    assertTrue(propose(order, t(P0, 7, 0, 10, 10)).isDone());
    // Releasing the predecessor released the chain behind it, in sequence order.
    assertTrue(third.isDone() && fourth.isDone());
    assertEquals(List.of(0, 10, 20, 30), log);
    assertArrayEquals(new long[] {2, 0}, order.counts());
  }

  @Test
  void resendsNewEpochsOtherProducersAndOtherPartitionsAreNeverHeld() {
    ProposalOrder order = new ProposalOrder(60_000, 100, timer);
    propose(order, t(P0, 7, 0, 0, 10));
    propose(order, t(P0, 7, 0, 10, 10));
    assertTrue(propose(order, t(P0, 7, 0, 0, 10)).isDone(), "a resend of a proposed batch");
    assertTrue(propose(order, t(P0, 7, 1, 0, 10)).isDone(), "a new epoch starts over");
    assertTrue(propose(order, t(P0, 8, 0, 500, 1)).isDone(), "a producer not seen before");
    assertTrue(propose(order, t(P1, 7, 0, 500, 1)).isDone(), "another partition");
    assertTrue(order.ready(List.of()).isDone(), "no idempotent batch at all");
    assertArrayEquals(new long[] {0, 0}, order.counts());
  }

  @Test
  void anEntryWaitsUntilEveryOneOfItsBatchesIsInOrder() {
    ProposalOrder order = new ProposalOrder(60_000, 100, timer);
    propose(order, t(P0, 7, 0, 0, 10));
    propose(order, t(P1, 7, 0, 0, 10));
    CompletableFuture<Void> both = propose(order, t(P0, 7, 0, 10, 1), t(P1, 7, 0, 20, 1));
    assertFalse(both.isDone(), "P1's batch 20 is ahead of 10");
    propose(order, t(P1, 7, 0, 10, 10));
    assertTrue(both.isDone());
  }

  @Test
  void aBatchWhosePredecessorNeverComesGoesAheadAfterTheWait() throws Exception {
    ProposalOrder order = new ProposalOrder(50, 100, timer);
    propose(order, t(P0, 7, 0, 0, 10));
    long start = System.nanoTime();
    propose(order, t(P0, 7, 0, 50, 1)).get(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
    assertArrayEquals(new long[] {1, 1}, order.counts());
    // It was proposed, so the producer partition's next sequence moved past it.
    assertTrue(propose(order, t(P0, 7, 0, 51, 1)).isDone());
  }

  @Test
  void trackingIsBoundedAndForgottenProducersAreNotHeld() {
    ProposalOrder order = new ProposalOrder(60_000, 2, timer);
    for (long producer = 1; producer <= 3; producer++) {
      propose(order, t(P0, producer, 0, 0, 10));
    }
    assertEquals(2, order.tracked());
    assertTrue(propose(order, t(P0, 1, 0, 99, 1)).isDone(), "producer 1 was dropped, not held");
    assertFalse(propose(order, t(P0, 3, 0, 99, 1)).isDone(), "producer 3 is still tracked");
  }

  @Test
  void sequencesThatWrapPastIntegerMaxValueStayInOrder() {
    ProposalOrder order = new ProposalOrder(60_000, 100, timer);
    propose(order, t(P0, 7, 0, Integer.MAX_VALUE - 4, 5));
    assertTrue(propose(order, t(P0, 7, 0, Integer.MIN_VALUE, 5)).isDone());
    assertFalse(propose(order, t(P0, 7, 0, Integer.MIN_VALUE + 10, 5)).isDone());
  }
}
