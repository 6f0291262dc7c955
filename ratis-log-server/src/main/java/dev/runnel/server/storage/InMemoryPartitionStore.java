package dev.runnel.server.storage;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link PartitionStore} held in memory, for fast tests of code built on the store (the
 * partition state machine). Same contract and same decisions as {@link RocksDbPartitionStore}: it
 * shares the offset and idempotence logic ({@link PartitionState}, {@link ProducerTable}).
 *
 * <p>Every method is synchronized, which trivially gives readers whole entries. {@link #checkpoint}
 * writes the whole state to one checksummed file ({@link InMemoryCheckpoint}); {@link #load} reads it
 * back, which is also how a test "restarts" this store. Nothing is durable otherwise, so
 * {@link #flush()} does nothing. Timestamp lookups scan the batches: fine for tests, not for
 * production sizes.
 */
public final class InMemoryPartitionStore implements PartitionStore {

  /** A stored batch with what the store needs to know about it. */
  record Entry(long baseOffset, int recordCount, long maxTimestampMs, byte[] batch) {
    long lastOffset() {
      return baseOffset + recordCount - 1;
    }
  }

  /** One partition: writer state and batches by base offset. */
  record Partition(PartitionState state, NavigableMap<Long, Entry> batches) {}

  private final int maxProducers;
  private final Map<PartitionId, Partition> partitions;
  private AppliedIndex applied;
  private boolean closed;

  InMemoryPartitionStore(int maxProducers, AppliedIndex applied,
      Map<PartitionId, Partition> partitions) {
    this.maxProducers = maxProducers;
    this.applied = applied;
    this.partitions = new HashMap<>(partitions);
  }

  /** An empty store remembering up to {@code maxProducers} producers per partition. */
  public static InMemoryPartitionStore create(int maxProducers) {
    return new InMemoryPartitionStore(maxProducers, AppliedIndex.INITIAL, Map.of());
  }

  /** An empty store with the default producer bound (1000 per partition). */
  public static InMemoryPartitionStore create() {
    return create(ProducerTable.DEFAULT_MAX_PRODUCERS);
  }

  /**
   * Loads a store from a directory written by {@link #checkpoint}.
   *
   * @throws StorageException if the checkpoint is missing, damaged or inconsistent
   */
  public static InMemoryPartitionStore load(Path checkpointDir, int maxProducers) {
    return InMemoryCheckpoint.read(checkpointDir, maxProducers);
  }

  public static InMemoryPartitionStore load(Path checkpointDir) {
    return load(checkpointDir, ProducerTable.DEFAULT_MAX_PRODUCERS);
  }

  @Override
  public synchronized List<AppendResult> append(AppliedIndex at, List<BatchAppend> batches) {
    StoreArgs.checkBatches(batches);
    beginMutation(at);
    final List<AppendResult> results = new ArrayList<>(batches.size());
    for (BatchAppend b : batches) {
      final Partition p = partitions.computeIfAbsent(b.partition(),
          k -> new Partition(new PartitionState(maxProducers), new TreeMap<>()));
      final PartitionState.Appended a = p.state().append(b.header());
      results.add(a.result());
      if (a.stored()) {
        final long base = a.result().baseOffset();
        p.batches().put(base, new Entry(base, b.header().recordCount(),
            b.header().maxTimestampMs(), b.copy()));
      }
    }
    applied = at;
    return results;
  }

  @Override
  public synchronized long trim(AppliedIndex at, PartitionId partition, long upToOffset) {
    Objects.requireNonNull(partition, "partition");
    beginMutation(at);
    applied = at;
    final Partition p = partitions.get(partition);
    if (p == null) {
      return 0;
    }
    final long upTo = Math.min(upToOffset, p.state().nextOffset());
    long removedBytes = 0;
    long removedBatches = 0;
    while (!p.batches().isEmpty() && p.batches().firstEntry().getValue().lastOffset() < upTo) {
      removedBytes += p.batches().pollFirstEntry().getValue().batch().length;
      removedBatches++;
    }
    if (removedBatches > 0) {
      final long newStart = p.batches().isEmpty() ? p.state().nextOffset() : p.batches().firstKey();
      final long maxTs = p.batches().values().stream().mapToLong(Entry::maxTimestampMs).max()
          .orElse(-1);
      p.state().trimmed(newStart, removedBytes, removedBatches, maxTs);
    }
    return p.state().logStartOffset();
  }

  @Override
  public synchronized void recordApplied(AppliedIndex at) {
    beginMutation(at);
    applied = at;
  }

  private void beginMutation(AppliedIndex at) {
    ensureOpen();
    StoreArgs.checkOrder(at, applied);
  }

  @Override
  public synchronized AppliedIndex applied() {
    return applied;
  }

  @Override
  public synchronized PartitionOffsets offsets(PartitionId partition) {
    Objects.requireNonNull(partition, "partition");
    final Partition p = partitions.get(partition);
    return p == null ? new PartitionOffsets(0, 0, 0, 0) : p.state().offsets();
  }

  @Override
  public synchronized List<StoredBatch> read(PartitionId partition, long fromOffset,
      int maxBytes) {
    StoreArgs.checkRead(partition, maxBytes);
    ensureOpen();
    final PartitionOffsets o = offsets(partition);
    if (fromOffset < o.logStartOffset() || fromOffset > o.nextOffset()) {
      throw new OffsetOutOfRangeException(fromOffset, o.logStartOffset(), o.nextOffset());
    }
    if (fromOffset == o.nextOffset()) {
      return List.of();
    }
    final NavigableMap<Long, Entry> batches = partitions.get(partition).batches();
    final List<StoredBatch> out = new ArrayList<>();
    long total = 0;
    for (Entry e : batches.tailMap(batches.floorKey(fromOffset), true).values()) {
      if (!out.isEmpty() && total + e.batch().length > maxBytes) {
        break;
      }
      out.add(new StoredBatch(e.baseOffset(), e.recordCount(), e.batch().clone()));
      total += e.batch().length;
    }
    return out;
  }

  @Override
  public synchronized Optional<TimestampOffset> offsetForTimestamp(PartitionId partition,
      long timestampMs) {
    Objects.requireNonNull(partition, "partition");
    ensureOpen();
    final Partition p = partitions.get(partition);
    if (p == null) {
      return Optional.empty();
    }
    return p.batches().values().stream().filter(e -> e.maxTimestampMs() >= timestampMs)
        .findFirst().map(e -> new TimestampOffset(e.baseOffset(), e.maxTimestampMs()));
  }

  /**
   * Nothing to read: the state is in memory and its only file, the checkpoint, was verified against
   * its checksum when it was loaded.
   */
  @Override
  public void verify() {}

  @Override
  public synchronized void flush() {
    ensureOpen();
  }

  /**
   * Writes the whole state to {@code target}/{@value InMemoryCheckpoint#FILE_NAME}.
   *
   * @throws IllegalArgumentException if {@code target} exists
   */
  @Override
  public synchronized void checkpoint(Path target) {
    ensureOpen();
    InMemoryCheckpoint.write(target, applied, partitions);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("in-memory partition store is closed");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
