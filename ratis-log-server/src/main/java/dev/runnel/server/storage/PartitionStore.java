package dev.runnel.server.storage;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.record.BatchHeader;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The log of the partitions served by one Raft group: record batches at dense offsets, plus the
 * state that must change atomically with them (offsets, producer sequences, applied index).
 *
 * <p>No Raft or gRPC types appear here. Mutating calls are made by a single thread (the group's
 * apply thread), in log order, and must be deterministic: every replica that applies the same
 * entries in the same order ends with byte-identical batches at the same offsets. Reads may run
 * concurrently with mutations and see only whole applied entries.
 *
 * <p>Each mutation records the {@link AppliedIndex} of the entry in the same atomic write as its
 * data, so after a crash {@link #applied()} tells exactly which entries are reflected in the store.
 * Mutations must come in increasing index order: an {@code at} whose index is not above
 * {@link #applied()} is a caller bug (it would apply an entry twice) and throws
 * {@link IllegalStateException} without changing anything.
 *
 * <p>Errors: bad arguments throw {@link IllegalArgumentException}; a store whose disk state cannot be
 * read or written, or fails a checksum or consistency check, throws {@link StorageException} and
 * never returns unverified data. A store closed by {@link #close()} throws
 * {@link IllegalStateException}.
 *
 * <p>Implementations: {@link RocksDbPartitionStore} (production) and {@link InMemoryPartitionStore}
 * (tests); both share the offset and idempotence logic and pass {@code PartitionStoreContractTest}.
 */
public interface PartitionStore extends Closeable {

  /**
   * One client batch to append, already validated by the leader. {@code batch} is a read-only view
   * (on the apply path, of the Raft entry being applied): a store copies what it keeps, never moves
   * the view's position, and does not hold on to it after {@link #append} returns.
   */
  record BatchAppend(PartitionId partition, BatchHeader header, ByteBuffer batch) {
    public BatchAppend(PartitionId partition, BatchHeader header, byte[] batch) {
      this(partition, header, ByteBuffer.wrap(batch).asReadOnlyBuffer());
    }

    /** The batch's length in bytes. */
    public int size() {
      return batch.remaining();
    }

    /** A copy of the batch's bytes. */
    public byte[] copy() {
      byte[] out = new byte[batch.remaining()];
      batch.duplicate().get(out);
      return out;
    }
  }

  /**
   * Appends the batches of one log entry, in order, atomically with {@code at}.
   *
   * <p>Idempotence: a batch whose producer id is non-zero and whose (epoch, base sequence, count)
   * matches one of that producer's recently stored batches in the partition is not stored again; its
   * result carries the original base offset and {@code duplicate = true}. A batch whose sequence does
   * not follow the producer's last one gets {@code OUT_OF_ORDER_SEQUENCE}; an older epoch gets
   * {@code UNKNOWN_PRODUCER_ID}. Rejected batches change nothing. A producer with no remembered
   * state (new, or forgotten because the partition remembers at most a bounded number of producers)
   * must start at sequence 0, else {@code UNKNOWN_PRODUCER_ID}; a newer epoch resets its state and
   * likewise starts at 0. Batches of one call may target
   * different partitions of the store; each batch is decided after the ones before it.
   *
   * @return one result per batch, in order
   */
  List<AppendResult> append(AppliedIndex at, List<BatchAppend> batches);

  /**
   * Removes the whole batches whose last offset is below {@code upToOffset}, atomically with
   * {@code at}. A batch that contains {@code upToOffset - 1} and later offsets is kept whole.
   *
   * @return the partition's log start offset afterwards
   */
  long trim(AppliedIndex at, PartitionId partition, long upToOffset);

  /** Records that an entry without data changes (configuration, no-op) was applied. */
  void recordApplied(AppliedIndex at);

  /** The last entry reflected in the store, {@link AppliedIndex#INITIAL} for an empty store. */
  AppliedIndex applied();

  /** Offsets of a partition; a partition never appended to reports {@code 0/0}. */
  PartitionOffsets offsets(PartitionId partition);

  /**
   * Reads stored batches starting with the one that contains {@code fromOffset}, in offset order,
   * while their total size stays within {@code maxBytes}; the first batch is returned even when it
   * alone is larger, so a read at a valid offset below the next offset never returns nothing.
   * {@code fromOffset == nextOffset} returns an empty list. Only batches of entries already applied
   * when the read starts are returned.
   *
   * @param maxBytes soft size limit of the result, must be > 0
   *
   * @throws OffsetOutOfRangeException if {@code fromOffset} is below the log start offset or above
   *     the next offset
   */
  List<StoredBatch> read(PartitionId partition, long fromOffset, int maxBytes);

  /**
   * The base offset of the first stored batch (in offset order) whose max timestamp is at or after
   * {@code timestampMs}, and that batch's max timestamp; empty if there is none. Exact at batch
   * granularity, also after trims: records before the returned offset are never newer.
   */
  Optional<TimestampOffset> offsetForTimestamp(PartitionId partition, long timestampMs);

  /**
   * Reads every stored byte and checks it against its checksum; throws a damage
   * {@link StorageException} naming the first damaged file. Costs a full read of the store.
   */
  void verify();

  /**
   * Readies the store for these partitions before their first append, in one step (a hint; the
   * first append does it otherwise). For a store that keeps per-partition structures whose
   * creation costs more one at a time than together.
   */
  default void prepare(Collection<PartitionId> partitions) {}

  /**
   * Makes everything applied so far durable on disk (the Raft log may then be purged behind it).
   * May run concurrently with mutations, on another thread.
   */
  void flush();

  /**
   * Writes a consistent copy of the store into {@code target} (which must not exist; its parent is
   * created if needed): every entry applied before the call, and possibly some applied during it,
   * each whole, with the {@link #applied()} index that goes with them. May run concurrently with
   * mutations, on another thread, and need not hold them off. Cheap: implementations may hard-link
   * immutable files. The implementation's {@code open}/{@code load} reads the copy back.
   */
  void checkpoint(Path target);

  /** Offsets of one partition. {@code nextOffset} is the high watermark of the local replica. */
  record PartitionOffsets(long logStartOffset, long nextOffset, long storedBytes, long batchCount) {}

  /** A stored batch: its base offset, its record count and its bytes exactly as produced. */
  record StoredBatch(long baseOffset, int recordCount, byte[] batch) {
    public long lastOffset() {
      return baseOffset + recordCount - 1;
    }
  }

  record TimestampOffset(long offset, long timestampMs) {}
}
