package dev.runnel.client.internals.producer;

import dev.runnel.client.TopicPartition;
import dev.runnel.proto.v1.Compression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-partition ordering and sequence state; used only by the sender thread.
 *
 * <p>With idempotence, each partition numbers its batches from 0 under a producer id, a batch gets its
 * sequence when first drained, and a retry resends the same bytes, so the broker answers a batch it
 * already stored with {@code duplicate=true} and the original offset. Up to {@code maxInFlight}
 * batches of a partition may be in flight; a batch being retried goes alone, after everything in
 * flight before it has returned, so retries stay in order. The first batch under a producer id also
 * goes alone: until the broker has stored one, it accepts any sequence from that id, so an overtaking
 * second batch would be stored first (gRPC does not keep pipelined calls in order).
 *
 * <p>When the numbering breaks (a numbered batch failed for good or expired, the broker no longer
 * knows the producer id, or it rejects a batch that follows the last acknowledged one), the partition
 * is <em>reset</em>: once nothing of it is in flight it moves to a fresh producer id from
 * {@code InitProducer} and numbers its queued batches from 0 again. Queued batches that may already be
 * stored (an earlier attempt timed out) are failed instead of renumbered, because a renumbered copy
 * could be stored twice.
 *
 * <p>Without idempotence, a partition has at most one batch in flight when retries are enabled (a
 * retry could otherwise overtake a later batch), else up to {@code maxInFlight}.
 */
public final class Idempotence implements RecordAccumulator.SendGate {

  /** A producer id and epoch from InitProducer. */
  public record ProducerIdentity(long id, int epoch) {}

  private static final class PartitionState {
    ProducerIdentity pid;
    int nextSequence;
    int ackedEnd;
    int inFlight;
    boolean needsReset;
    /** Whether a batch under the current id was acknowledged, so the broker tracks its sequence. */
    boolean confirmed;
    final TreeMap<Integer, ProducerBatch> unacked = new TreeMap<>();
  }

  private final boolean enabled;
  private final int maxInFlightPerPartition;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private ProducerIdentity base;
  private ProducerIdentity fresh;

  public Idempotence(boolean enabled, int maxInFlight, boolean retriesEnabled) {
    this.enabled = enabled;
    this.maxInFlightPerPartition = enabled || !retriesEnabled ? maxInFlight : 1;
  }

  public boolean enabled() {
    return enabled;
  }

  private PartitionState state(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, k -> {
      PartitionState s = new PartitionState();
      s.pid = base;
      return s;
    });
  }

  /** Whether an InitProducer call is needed: at start, or for a partition waiting to reset. */
  public boolean needsIdentity() {
    if (!enabled) {
      return false;
    }
    if (base == null) {
      return true;
    }
    if (fresh != null) {
      return false;
    }
    for (PartitionState s : partitions.values()) {
      if (s.needsReset && s.inFlight == 0) {
        return true;
      }
    }
    return false;
  }

  /** Accepts the result of InitProducer. */
  public void setIdentity(ProducerIdentity id) {
    if (base == null) {
      base = id;
      partitions.values().forEach(s -> s.pid = id);
    } else {
      fresh = id;
    }
  }

  public ProducerIdentity base() {
    return base;
  }

  @Override
  public boolean canSend(TopicPartition tp, ProducerBatch head) {
    PartitionState s = state(tp);
    if (!enabled) {
      return s.inFlight < maxInFlightPerPartition;
    }
    if (base == null || s.needsReset) {
      return false;
    }
    if (head.hasSequence()) {
      return s.inFlight == 0;
    }
    if (s.nextSequence > Integer.MAX_VALUE - head.recordCount()) {
      // Sequences are int32 on the wire; rather than wrap, continue under a fresh producer id.
      s.needsReset = true;
      return false;
    }
    if (!s.confirmed) {
      // A broker accepts any sequence from a producer id it does not know yet, so a pipelined second
      // batch that overtook the first would be stored ahead of it. The first batch goes alone.
      return s.inFlight == 0;
    }
    return s.inFlight < maxInFlightPerPartition;
  }

  /** Numbers (if needed) and encodes a drained batch, and counts it in flight. */
  public void prepare(ProducerBatch b, Compression codec) {
    PartitionState s = state(b.topicPartition());
    s.inFlight++;
    if (!enabled) {
      if (b.encoded() == null) {
        b.encode(codec, 0, 0, 0);
        b.clearSequence();
      }
      return;
    }
    if (b.hasSequence() && b.producerId() == s.pid.id()) {
      return;
    }
    int seq = s.nextSequence;
    s.nextSequence += b.recordCount();
    b.encode(codec, s.pid.id(), s.pid.epoch(), seq);
    s.unacked.put(seq, b);
  }

  /** A response (or failure) for the batch arrived. */
  public void onResponse(ProducerBatch b) {
    state(b.topicPartition()).inFlight--;
  }

  public void onSuccess(ProducerBatch b) {
    PartitionState s = state(b.topicPartition());
    if (enabled && b.hasSequence() && b.producerId() == s.pid.id()) {
      s.unacked.remove(b.baseSequence());
      s.ackedEnd = Math.max(s.ackedEnd, b.baseSequence() + b.recordCount());
      s.confirmed = true;
    }
  }

  /** The batch failed for good or expired: if it was numbered, the partition's numbering has a hole. */
  public void onTerminalFailure(ProducerBatch b) {
    PartitionState s = state(b.topicPartition());
    if (enabled && b.hasSequence() && s.pid != null && b.producerId() == s.pid.id()) {
      s.unacked.remove(b.baseSequence());
      s.needsReset = true;
    }
  }

  /**
   * The broker rejected the batch's sequence. If an earlier batch of the partition is still pending,
   * that explains it (the batch is simply retried after it). If the batch directly follows the last
   * acknowledged one, the broker may have processed pipelined requests out of order, so it is retried
   * once as it is. Otherwise the partition resets.
   */
  public void onOutOfOrder(ProducerBatch b) {
    PartitionState s = state(b.topicPartition());
    if (!enabled || s.needsReset || b.producerId() != s.pid.id()) {
      return;
    }
    if (!s.unacked.headMap(b.baseSequence(), false).isEmpty()) {
      return;
    }
    if (b.baseSequence() == s.ackedEnd && b.reorderRetries() < 1) {
      b.countReorderRetry();
      return;
    }
    s.needsReset = true;
  }

  /** The broker does not know the producer id (or its epoch): reset the partition. */
  public void onUnknownProducer(ProducerBatch b) {
    PartitionState s = state(b.topicPartition());
    if (enabled && b.producerId() == s.pid.id()) {
      s.needsReset = true;
    }
  }

  /**
   * Moves the partitions waiting to reset, and with nothing in flight, to the fresh producer id.
   *
   * @return queued batches that may already be stored and must be failed rather than renumbered
   */
  public List<ProducerBatch> applyResets(RecordAccumulator accumulator) {
    List<ProducerBatch> toFail = new ArrayList<>();
    if (!enabled || fresh == null) {
      return toFail;
    }
    boolean used = false;
    for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
      PartitionState s = e.getValue();
      if (!s.needsReset || s.inFlight != 0) {
        continue;
      }
      s.pid = fresh;
      s.nextSequence = 0;
      s.ackedEnd = 0;
      s.unacked.clear();
      s.needsReset = false;
      s.confirmed = false;
      used = true;
      accumulator.forEachQueued(e.getKey(), it -> renumber(it, toFail));
    }
    if (used) {
      fresh = null;
    }
    return toFail;
  }

  private static void renumber(Iterator<ProducerBatch> it, List<ProducerBatch> toFail) {
    while (it.hasNext()) {
      ProducerBatch b = it.next();
      if (!b.hasSequence()) {
        continue;
      }
      if (b.maybeStored()) {
        it.remove();
        toFail.add(b);
      } else {
        b.clearSequence();
      }
    }
  }

  /** Batches of the partition in flight now; for tests. */
  public int inFlight(TopicPartition tp) {
    return state(tp).inFlight;
  }
}
