package dev.runnel.server.service;

import dev.runnel.server.common.PartitionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Proposes a producer's batches for a partition in sequence order when they reach the leader out
 * of order.
 *
 * <p>An idempotent producer keeps up to {@code max.in.flight.requests.per.connection} requests in
 * flight to a broker. gRPC hands concurrent calls of one connection to different threads, so two
 * requests sent in order can be proposed in the other order. The state machine then rejects the
 * later-numbered batch ({@code OUT_OF_ORDER_SEQUENCE}); the producer resends it and every batch of
 * that partition in flight behind it, and the rejected copies stay in the Raft log. Measured before
 * this class: 41 % of the batches in a W1 partition's Raft log were such copies, each fsynced on
 * three replicas. Kafka avoids it by handling one request per connection at a time; Runnel keeps
 * handling requests concurrently and instead holds back a batch whose predecessor (same producer,
 * epoch and partition) has not been proposed yet, until it has, or for at most {@code maxWaitMs}.
 * After that wait the batch goes ahead and the state machine decides, as before: the predecessor
 * may have failed before it was proposed, or gone to another broker.
 *
 * <p>Only the order of proposals changes; what is stored, and every acknowledgement, is still
 * decided by the replicated state machine. Tracking is bounded to {@code maxTracked} producer
 * partitions (least recently used dropped; an untracked batch is never held).
 */
final class ProposalOrder {
  /** One idempotent batch: its producer partition, epoch and sequence range. */
  record Ticket(PartitionId partition, long producerId, int epoch, int baseSequence,
      int recordCount) {
    Key key() {
      return new Key(partition, producerId);
    }

    int nextSequence() {
      return baseSequence + recordCount;
    }
  }

  private record Key(PartitionId partition, long producerId) {}

  private record Next(int epoch, int sequence) {}

  /** An entry waiting for its predecessors; completed at most once. */
  private static final class Waiter {
    final List<Ticket> tickets;
    final CompletableFuture<Void> go = new CompletableFuture<>();

    Waiter(List<Ticket> tickets) {
      this.tickets = tickets;
    }

    int firstSequence() {
      return tickets.stream().mapToInt(Ticket::baseSequence).min().orElse(0);
    }
  }

  private final long maxWaitMs;
  private final int maxTracked;
  private final ScheduledExecutorService timer;
  /** The sequence each producer partition's next batch should start at, in proposal order. */
  private final LinkedHashMap<Key, Next> next;
  private final Map<Key, List<Waiter>> waiting = new HashMap<>();
  private long heldTotal;
  private long timedOutTotal;

  ProposalOrder(long maxWaitMs, int maxTracked, ScheduledExecutorService timer) {
    this.maxWaitMs = maxWaitMs;
    this.maxTracked = maxTracked;
    this.timer = timer;
    this.next = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Next> eldest) {
        return size() > ProposalOrder.this.maxTracked;
      }
    };
  }

  /**
   * Completes when the entry made of these batches may be proposed: at once unless one of them is
   * ahead of its producer partition's next sequence. The caller must call {@link #proposed} right
   * after proposing, on the same thread, before anything else is proposed for those partitions.
   */
  CompletableFuture<Void> ready(List<Ticket> tickets) {
    if (tickets.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Waiter w;
    synchronized (this) {
      if (inOrder(tickets)) {
        return CompletableFuture.completedFuture(null);
      }
      w = new Waiter(tickets); // only for the rare held entry, not on every produce
      heldTotal++;
      for (Ticket t : tickets) {
        waiting.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(w);
      }
    }
    timer.schedule(() -> {
      boolean late;
      synchronized (this) {
        late = remove(w);
        if (late) {
          timedOutTotal++;
        }
      }
      if (late) {
        w.go.complete(null);
      }
    }, maxWaitMs, TimeUnit.MILLISECONDS);
    return w.go;
  }

  /** Records that these batches now have their place in the log; releases what waited on them. */
  void proposed(List<Ticket> tickets) {
    if (tickets.isEmpty()) {
      return;
    }
    List<Waiter> released = new ArrayList<>();
    synchronized (this) {
      for (Ticket t : tickets) {
        Next n = next.get(t.key());
        if (n == null || n.epoch() != t.epoch() || t.nextSequence() - n.sequence() > 0) {
          next.put(t.key(), new Next(t.epoch(), t.nextSequence()));
        }
      }
      for (Ticket t : tickets) {
        List<Waiter> ws = waiting.get(t.key());
        if (ws == null) {
          continue;
        }
        for (Waiter w : List.copyOf(ws)) {
          if (inOrder(w.tickets) && remove(w)) {
            released.add(w);
          }
        }
      }
    }
    // Outside the lock: each release proposes (and calls back here) on this thread, lowest first.
    released.sort(Comparator.comparingInt(Waiter::firstSequence));
    released.forEach(w -> w.go.complete(null));
  }

  /** Entries held back so far, and those of them that went ahead when the wait ran out. */
  synchronized long[] counts() {
    return new long[] {heldTotal, timedOutTotal};
  }

  synchronized int tracked() {
    return next.size();
  }

  private boolean inOrder(List<Ticket> tickets) {
    for (Ticket t : tickets) {
      Next n = next.get(t.key());
      // Unknown producer partition, a new epoch, the expected batch or a resend: nothing to wait for.
      // Differences, not comparisons, so that sequences wrapping past Integer.MAX_VALUE still work.
      if (n != null && n.epoch() == t.epoch() && t.baseSequence() - n.sequence() > 0) {
        return false;
      }
    }
    return true;
  }

  /** Unregisters a waiter; false if it was released already. */
  private boolean remove(Waiter w) {
    boolean found = false;
    for (Ticket t : w.tickets) {
      List<Waiter> ws = waiting.get(t.key());
      if (ws != null && ws.remove(w)) {
        found = true;
        if (ws.isEmpty()) {
          waiting.remove(t.key());
        }
      }
    }
    return found;
  }
}
