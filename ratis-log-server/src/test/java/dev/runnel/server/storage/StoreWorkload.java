package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.record.TestBatches;
import dev.runnel.server.storage.PartitionStore.BatchAppend;
import dev.runnel.server.storage.PartitionStore.PartitionOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded random sequence of store mutations (plain and idempotent appends, retries, out-of-order
 * and stale-epoch batches, trims, no-op entries) applied identically to several stores, checking
 * after each step that they answered identically. To reproduce a failure, rerun with the same seed.
 */
final class StoreWorkload {

  private static final int PRODUCERS = 3;

  private final Random random;
  private final List<PartitionId> partitions;
  private final Map<String, Integer> nextSequence = new HashMap<>();
  private final Map<String, byte[]> lastBatch = new HashMap<>();
  private final int[] epochs = new int[PRODUCERS + 1];
  private long index;
  private long seed;
  private int duplicates;
  private int rejections;
  private int trims;

  StoreWorkload(long seed, List<PartitionId> partitions) {
    this.random = new Random(seed);
    this.partitions = List.copyOf(partitions);
  }

  /** Applies one random entry to every store and checks they all gave the same answer. */
  void step(List<PartitionStore> stores) {
    final AppliedIndex at = new AppliedIndex(1, ++index);
    final int kind = random.nextInt(10);
    if (kind < 7) {
      final List<BatchAppend> batches = new ArrayList<>();
      final int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        batches.add(randomBatch());
      }
      final List<AppendResult> first = stores.get(0).append(at, batches);
      for (PartitionStore s : stores.subList(1, stores.size())) {
        assertEquals(first, s.append(at, batches), "append results at " + at);
      }
      for (AppendResult r : first) {
        duplicates += r.duplicate() ? 1 : 0;
        rejections += r.ok() ? 0 : 1;
      }
    } else if (kind < 9) {
      final PartitionId p = pick();
      final PartitionOffsets o = stores.get(0).offsets(p);
      final long upTo = o.logStartOffset()
          + random.nextInt((int) (o.nextOffset() - o.logStartOffset()) / 2 + 3);
      final long first = stores.get(0).trim(at, p, upTo);
      for (PartitionStore s : stores.subList(1, stores.size())) {
        assertEquals(first, s.trim(at, p, upTo), "trim result at " + at);
      }
      trims += first > o.logStartOffset() ? 1 : 0;
    } else {
      stores.forEach(s -> s.recordApplied(at));
    }
  }

  private PartitionId pick() {
    return partitions.get(random.nextInt(partitions.size()));
  }

  private BatchAppend randomBatch() {
    final PartitionId p = pick();
    final int records = 1 + random.nextInt(5);
    final TestBatches.Builder b = TestBatches.builder().records(records).seed(++seed)
        .valueBytes(random.nextInt(200)).baseTimestamp(random.nextInt(10_000))
        .maxTimestamp(-1);
    final int producer = random.nextInt(PRODUCERS + 1); // 0 = not idempotent
    if (producer == 0) {
      return TestBatches.append(p, b.build());
    }
    final String key = p + "/" + producer;
    final int choice = random.nextInt(10);
    if (choice == 0 && lastBatch.containsKey(key)) {
      return TestBatches.append(p, lastBatch.get(key)); // a retry: duplicate
    }
    if (choice == 1) {
      epochs[producer]++; // a new epoch resets the producer
    }
    final int expected = nextSequence.getOrDefault(key, 0);
    final int sequence = choice == 2 ? expected + 7 : expected; // sometimes out of order
    final int epoch = choice == 3 && epochs[producer] > 0 ? epochs[producer] - 1 : epochs[producer];
    final byte[] bytes = b.producer(producer, epoch, sequence).build();
    if (choice != 2 && epoch == epochs[producer]) {
      nextSequence.put(key, ProducerTable.nextSequence(sequence, records));
      lastBatch.put(key, bytes);
    }
    return TestBatches.append(p, bytes);
  }

  /** Fails unless the steps so far produced duplicates, rejections and effective trims. */
  void assertCoveredEveryCase() {
    assertTrue(duplicates > 0 && rejections > 0 && trims > 0, "workload too tame: " + duplicates
        + " duplicates, " + rejections + " rejections, " + trims + " trims");
  }

  /** Asserts that two stores hold identical offsets, batches and time-index answers. */
  static void assertSameContents(PartitionStore a, PartitionStore b, List<PartitionId> partitions) {
    assertEquals(a.applied(), b.applied());
    for (PartitionId p : partitions) {
      final PartitionOffsets o = a.offsets(p);
      assertEquals(o, b.offsets(p), "offsets of " + p);
      PartitionStoreContractTest.assertSameBatches(
          PartitionStoreContractTest.readAll(a, p), PartitionStoreContractTest.readAll(b, p));
      for (long offset = o.logStartOffset(); offset <= o.nextOffset(); offset += 7) {
        PartitionStoreContractTest.assertSameBatches(a.read(p, offset, 500),
            b.read(p, offset, 500));
      }
      for (long ts = 0; ts <= 10_100; ts += 97) {
        assertEquals(a.offsetForTimestamp(p, ts), b.offsetForTimestamp(p, ts),
            "offset for timestamp " + ts + " in " + p);
      }
    }
  }
}
