package dev.runnel.client.internals.producer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.producer.ProducerBatch.Thunk;
import dev.runnel.client.internals.record.RawRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Per-partition queues of batches between {@code send} (many threads) and the sender thread. Memory
 * is bounded by a {@link MemoryLimiter}; batches become sendable when full, after {@code linger.ms},
 * during {@code flush()} or close. Each partition's deque is locked on itself.
 */
public final class RecordAccumulator {

  /** Decides whether the head batch of a partition may be sent now (ordering, in-flight limits). */
  @FunctionalInterface
  public interface SendGate {
    boolean canSend(TopicPartition tp, ProducerBatch head);
  }

  /** What an append did, so the caller knows when to wake the sender. */
  public record AppendResult(TopicPartition tp, boolean newBatch, boolean batchFull) {}

  /** The brokers with sendable data, and when to look again if none. */
  public record Ready(Set<Integer> nodes, long nextCheckDelayMs, boolean unknownLeaders) {}

  private final int batchSize;
  private final long lingerMs;
  private final Time time;
  private final MemoryLimiter memory;
  private final ConcurrentMap<TopicPartition, Deque<ProducerBatch>> batches = new ConcurrentHashMap<>();
  private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
  private final StickyPartitions sticky;
  private final AtomicInteger flushesInProgress = new AtomicInteger();
  private final Map<Integer, Integer> drainIndex = new HashMap<>();
  private volatile boolean closing;

  public RecordAccumulator(int batchSize, long lingerMs, MemoryLimiter memory, Time time,
      StickyPartitions sticky) {
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.memory = memory;
    this.time = time;
    this.sticky = sticky;
  }

  /** Appends to a given partition, waiting up to {@code maxBlockMs} for buffer memory. */
  public AppendResult append(TopicPartition tp, RawRecord record, Thunk thunk, long maxBlockMs) {
    int size = record.estimatedSize();
    memory.reserve(size, maxBlockMs);
    try {
      return appendReserved(tp, record, size, thunk);
    } catch (RuntimeException e) {
      memory.release(size);
      throw e;
    }
  }

  /**
   * Appends a record the partitioner left {@code UNASSIGNED}: to the topic's current sticky partition
   * while its open batch has room, else to the next partition in round-robin order.
   */
  public AppendResult appendUnassigned(String topic, ClusterView view, RawRecord record, Thunk thunk,
      long maxBlockMs) {
    int size = record.estimatedSize();
    memory.reserve(size, maxBlockMs);
    try {
      return sticky.append(topic, view, (tp, mustBeOpen) -> {
        Deque<ProducerBatch> dq = deque(tp);
        synchronized (dq) {
          ProducerBatch last = dq.peekLast();
          if (last != null && last.tryAppend(record, size, thunk)) {
            return new AppendResult(tp, false, last.isFull());
          }
          if (mustBeOpen) {
            return null;
          }
          return newBatch(dq, tp, record, size, thunk);
        }
      });
    } catch (RuntimeException e) {
      memory.release(size);
      throw e;
    }
  }

  private AppendResult appendReserved(TopicPartition tp, RawRecord record, int size, Thunk thunk) {
    Deque<ProducerBatch> dq = deque(tp);
    synchronized (dq) {
      ProducerBatch last = dq.peekLast();
      if (last != null && last.tryAppend(record, size, thunk)) {
        return new AppendResult(tp, false, last.isFull());
      }
      return newBatch(dq, tp, record, size, thunk);
    }
  }

  private AppendResult newBatch(Deque<ProducerBatch> dq, TopicPartition tp, RawRecord record, int size,
      Thunk thunk) {
    if (closing) {
      throw new IllegalStateException("the producer is closing; no new records are accepted");
    }
    ProducerBatch last = dq.peekLast();
    if (last != null) {
      last.close();
    }
    ProducerBatch b = new ProducerBatch(tp, time.monoMs(), batchSize);
    if (!b.tryAppend(record, size, thunk)) {
      throw new IllegalStateException("a new batch refused its first record");
    }
    dq.addLast(b);
    incomplete.add(b);
    return new AppendResult(tp, true, b.isFull());
  }

  private Deque<ProducerBatch> deque(TopicPartition tp) {
    return batches.computeIfAbsent(tp, k -> new ArrayDeque<>());
  }

  /** Finds the leaders that have sendable batches. */
  public Ready ready(ClusterView view, long nowMs, SendGate gate) {
    Set<Integer> nodes = new HashSet<>();
    long next = Long.MAX_VALUE;
    boolean unknownLeaders = false;
    boolean sendAll = closing || flushesInProgress.get() > 0;
    for (Map.Entry<TopicPartition, Deque<ProducerBatch>> e : batches.entrySet()) {
      Deque<ProducerBatch> dq = e.getValue();
      synchronized (dq) {
        ProducerBatch head = dq.peekFirst();
        if (head == null) {
          continue;
        }
        int leader = view.leaderOf(e.getKey());
        if (leader < 0 || view.address(leader) == null) {
          unknownLeaders = true;
          continue;
        }
        if (head.retryAtMs() > nowMs) {
          next = Math.min(next, head.retryAtMs() - nowMs);
          continue;
        }
        boolean full = dq.size() > 1 || head.isFull() || head.isClosed();
        long waited = nowMs - head.createdMs();
        if (!full && !sendAll && waited < lingerMs) {
          next = Math.min(next, lingerMs - waited);
        } else if (gate.canSend(e.getKey(), head)) {
          nodes.add(leader);
        }
        // Otherwise ordering or in-flight limits hold the batch back; the response (or producer id)
        // that lifts them wakes the sender, so it adds no deadline here.
      }
    }
    return new Ready(nodes, Math.max(0, next), unknownLeaders);
  }

  /**
   * Takes at most one batch per partition led by each of {@code nodes}, up to {@code maxRequestBytes}
   * per node (always at least one batch). Taken batches are closed; the sender encodes them.
   */
  public Map<Integer, List<ProducerBatch>> drain(ClusterView view, Set<Integer> nodes,
      int maxRequestBytes, long nowMs, SendGate gate) {
    Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
    for (TopicPartition tp : batches.keySet()) {
      int leader = view.leaderOf(tp);
      if (nodes.contains(leader)) {
        byLeader.computeIfAbsent(leader, k -> new ArrayList<>()).add(tp);
      }
    }
    Map<Integer, List<ProducerBatch>> out = new HashMap<>();
    byLeader.forEach((node, parts) -> {
      List<ProducerBatch> taken = drainNode(node, parts, maxRequestBytes, nowMs, gate);
      if (!taken.isEmpty()) {
        out.put(node, taken);
      }
    });
    return out;
  }

  private List<ProducerBatch> drainNode(int node, List<TopicPartition> parts, int maxBytes, long nowMs,
      SendGate gate) {
    parts.sort(null);
    // Start where the previous drain of this node stopped, so no partition starves.
    int start = Math.floorMod(drainIndex.getOrDefault(node, 0), parts.size());
    List<ProducerBatch> taken = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < parts.size(); i++) {
      TopicPartition tp = parts.get((start + i) % parts.size());
      Deque<ProducerBatch> dq = batches.get(tp);
      synchronized (dq) {
        ProducerBatch head = dq.peekFirst();
        if (head == null || head.retryAtMs() > nowMs || !gate.canSend(tp, head)) {
          continue;
        }
        if (!taken.isEmpty() && bytes + head.estimatedBytes() > maxBytes) {
          drainIndex.put(node, start + i);
          return taken;
        }
        dq.pollFirst();
        head.close();
        taken.add(head);
        bytes += head.estimatedBytes();
      }
    }
    drainIndex.put(node, start + 1);
    return taken;
  }

  /** Puts a batch back for retry, before any batch of its partition with a higher sequence. */
  public void reenqueue(ProducerBatch batch) {
    Deque<ProducerBatch> dq = deque(batch.topicPartition());
    synchronized (dq) {
      if (!batch.hasSequence()) {
        dq.addFirst(batch);
        return;
      }
      List<ProducerBatch> rest = new ArrayList<>(dq);
      dq.clear();
      boolean placed = false;
      for (ProducerBatch b : rest) {
        if (!placed && (!b.hasSequence() || b.baseSequence() > batch.baseSequence())) {
          dq.addLast(batch);
          placed = true;
        }
        dq.addLast(b);
      }
      if (!placed) {
        dq.addLast(batch);
      }
    }
  }

  /** Visits the queued (not in-flight) batches of a partition in order, under its lock. */
  public void forEachQueued(TopicPartition tp, Consumer<Iterator<ProducerBatch>> visitor) {
    Deque<ProducerBatch> dq = batches.get(tp);
    if (dq == null) {
      return;
    }
    synchronized (dq) {
      visitor.accept(dq.iterator());
    }
  }

  /** Removes queued batches older than {@code deliveryTimeoutMs}; the caller fails them. */
  public List<ProducerBatch> expire(long nowMs, long deliveryTimeoutMs) {
    List<ProducerBatch> expired = new ArrayList<>();
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        Iterator<ProducerBatch> it = dq.iterator();
        while (it.hasNext()) {
          ProducerBatch b = it.next();
          if (nowMs - b.createdMs() >= deliveryTimeoutMs) {
            b.close();
            it.remove();
            expired.add(b);
          }
        }
      }
    }
    return expired;
  }

  /** Milliseconds until the oldest queued batch expires. */
  public long timeToNextExpiry(long nowMs, long deliveryTimeoutMs) {
    long next = Long.MAX_VALUE;
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        ProducerBatch head = dq.peekFirst();
        if (head != null) {
          next = Math.min(next, head.createdMs() + deliveryTimeoutMs - nowMs);
        }
      }
    }
    return Math.max(0, next);
  }

  /** Called by the sender after a batch succeeded or failed for good: returns its memory. */
  public void deallocate(ProducerBatch batch) {
    if (incomplete.remove(batch)) {
      memory.release(batch.estimatedBytes());
    }
  }

  /** Whether any batch is still queued. */
  public boolean hasQueued() {
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        if (!dq.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Removes and returns every queued batch (forced close). */
  public List<ProducerBatch> drainAllQueued() {
    List<ProducerBatch> all = new ArrayList<>();
    for (Deque<ProducerBatch> dq : batches.values()) {
      synchronized (dq) {
        all.addAll(dq);
        dq.clear();
      }
    }
    return all;
  }

  /** The batches not yet completed, queued or in flight. */
  public List<ProducerBatch> incomplete() {
    return new ArrayList<>(incomplete);
  }

  /** Makes every batch sendable at once until {@link #endFlush()}. */
  public void beginFlush() {
    flushesInProgress.incrementAndGet();
  }

  public void endFlush() {
    flushesInProgress.decrementAndGet();
  }

  /** From now on every batch is sendable at once and no new batch may be started. */
  public void beginClose() {
    closing = true;
  }

  public boolean isClosing() {
    return closing;
  }
}
