package dev.runnel.server.storage;

import dev.runnel.proto.internal.ProducerState;
import dev.runnel.proto.internal.SequencedBatch;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.record.BatchHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Idempotent-producer state of one partition, shared by every {@link PartitionStore}
 * implementation so they decide identically. Deterministic: the outcome depends only on the batches
 * appended before, never on time or on memory pressure.
 *
 * <p>Rules for a batch of producer {@code P} (producer id 0 is never checked):
 * <ol>
 *   <li>same epoch and (base_sequence, record_count) equal to one of P's last
 *       {@value #RECENT_BATCHES} stored batches: duplicate, answered with the original base offset;
 *   <li>no state for P (new, or evicted): accepted whatever its sequence;
 *   <li>epoch below P's epoch: {@code UNKNOWN_PRODUCER_ID};
 *   <li>epoch above P's epoch: P's state is reset, accepted;
 *   <li>otherwise base_sequence must be the last base_sequence plus the last record_count
 *       (wrapping from {@code Integer.MAX_VALUE} to 0 like Kafka), else {@code OUT_OF_ORDER_SEQUENCE}.
 * </ol>
 *
 * <p>At most {@code maxProducers} producers are remembered; accepting a batch from a new producer
 * beyond that evicts the producer whose last stored batch has the lowest base offset.
 */
final class ProducerTable {

  /** Batches remembered per producer for duplicate detection (Kafka keeps 5 too). */
  static final int RECENT_BATCHES = 5;
  /** Default bound on producers remembered per partition. */
  static final int DEFAULT_MAX_PRODUCERS = 1000;

  /** Outcome of {@link #check}. */
  sealed interface Check permits Accept, Duplicate, Reject {}

  record Accept() implements Check {}

  record Duplicate(long baseOffset) implements Check {}

  record Reject(ErrorCode code, String message) implements Check {}

  /** State changes caused by an accepted batch, for stores that persist producers separately. */
  record Update(ProducerState state, long evictedProducerId) {
    boolean evicted() {
      return evictedProducerId != 0;
    }
  }

  private static final Accept ACCEPT = new Accept();

  private final int maxProducers;
  private final Map<Long, ProducerState> producers = new HashMap<>();
  /** Base offset of each producer's last stored batch to producer id: the eviction order. */
  private final TreeMap<Long, Long> byLastOffset = new TreeMap<>();

  ProducerTable(int maxProducers) {
    if (maxProducers < 1) {
      throw new IllegalArgumentException("maxProducers must be >= 1, got " + maxProducers);
    }
    this.maxProducers = maxProducers;
  }

  /** Decides what to do with a batch; changes nothing. */
  Check check(BatchHeader h) {
    if (!h.idempotent()) {
      return ACCEPT;
    }
    final ProducerState s = producers.get(h.producerId());
    if (s == null || h.producerEpoch() > s.getProducerEpoch()) {
      // A producer (or epoch) starts at sequence 0. Accepting any first sequence would let a
      // pipelined later batch that overtook the first one be stored ahead of it, reordering keys.
      return h.baseSequence() == 0 ? ACCEPT : new Reject(ErrorCode.UNKNOWN_PRODUCER_ID, "producer "
          + h.producerId() + " epoch " + h.producerEpoch() + " is unknown to this partition (new, or "
          + "forgotten after too many other producers), so its first batch must have base_sequence 0,"
          + " not " + h.baseSequence() + "; re-initialise the producer");
    }
    if (h.producerEpoch() < s.getProducerEpoch()) {
      return new Reject(ErrorCode.UNKNOWN_PRODUCER_ID, "producer " + h.producerId() + " epoch "
          + h.producerEpoch() + " is older than its current epoch " + s.getProducerEpoch());
    }
    for (SequencedBatch b : s.getRecentList()) {
      if (b.getBaseSequence() == h.baseSequence() && b.getRecordCount() == h.recordCount()) {
        return new Duplicate(b.getBaseOffset());
      }
    }
    final SequencedBatch last = s.getRecent(s.getRecentCount() - 1);
    final int expected = nextSequence(last.getBaseSequence(), last.getRecordCount());
    if (h.baseSequence() != expected) {
      return new Reject(ErrorCode.OUT_OF_ORDER_SEQUENCE, "producer " + h.producerId() + " epoch "
          + h.producerEpoch() + " sent base_sequence " + h.baseSequence() + ", expected "
          + expected);
    }
    return ACCEPT;
  }

  /**
   * Records a batch that {@link #check} accepted and that is stored at {@code baseOffset}.
   *
   * @return the producer's new state and the producer evicted to make room (0 if none); null for
   *     a batch without producer id
   */
  Update record(BatchHeader h, long baseOffset) {
    if (!h.idempotent()) {
      return null;
    }
    final ProducerState old = producers.get(h.producerId());
    final List<SequencedBatch> recent = new ArrayList<>(RECENT_BATCHES);
    if (old != null) {
      byLastOffset.remove(lastOffset(old));
      if (old.getProducerEpoch() == h.producerEpoch()) {
        final List<SequencedBatch> kept = old.getRecentList();
        recent.addAll(kept.subList(Math.max(0, kept.size() - (RECENT_BATCHES - 1)), kept.size()));
      }
    }
    recent.add(SequencedBatch.newBuilder().setBaseSequence(h.baseSequence())
        .setRecordCount(h.recordCount()).setBaseOffset(baseOffset).build());
    final ProducerState state = ProducerState.newBuilder().setProducerId(h.producerId())
        .setProducerEpoch(h.producerEpoch()).addAllRecent(recent)
        .setLastTimestampMs(h.maxTimestampMs()).build();
    put(state);
    long evicted = 0;
    if (producers.size() > maxProducers) {
      evicted = byLastOffset.pollFirstEntry().getValue();
      producers.remove(evicted);
    }
    return new Update(state, evicted);
  }

  /** Adds a producer loaded from disk. */
  void restore(ProducerState state) {
    if (state.getProducerId() == 0 || state.getRecentCount() == 0
        || producers.containsKey(state.getProducerId())
        || byLastOffset.containsKey(lastOffset(state))) {
      throw new StorageException("invalid or repeated stored producer state: " + state);
    }
    put(state);
  }

  /** Every remembered producer, ordered by producer id (a deterministic order for snapshots). */
  List<ProducerState> states() {
    final List<ProducerState> all = new ArrayList<>(producers.values());
    all.sort((a, b) -> Long.compare(a.getProducerId(), b.getProducerId()));
    return all;
  }

  int size() {
    return producers.size();
  }

  private void put(ProducerState state) {
    producers.put(state.getProducerId(), state);
    final Long displaced = byLastOffset.put(lastOffset(state), state.getProducerId());
    if (displaced != null && displaced != state.getProducerId()) {
      throw new IllegalStateException("producers " + displaced + " and " + state.getProducerId()
          + " both claim the batch at offset " + lastOffset(state));
    }
  }

  private static long lastOffset(ProducerState s) {
    return s.getRecent(s.getRecentCount() - 1).getBaseOffset();
  }

  /** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from MAX_VALUE to 0. */
  static int nextSequence(int baseSequence, int increment) {
    if (baseSequence > Integer.MAX_VALUE - increment) {
      return increment - (Integer.MAX_VALUE - baseSequence) - 1;
    }
    return baseSequence + increment;
  }
}
