package dev.runnel.server.storage;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.StoreKeys.BatchKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A {@link PartitionStore} in one RocksDB database per store, shared by the partitions of one Raft
 * group. Key layout: {@link StoreKeys}; column families: {@link RocksHandles}; options:
 * {@link StorageResources}, which hundreds of stores share.
 *
 * <p><b>Durability.</b> Writes skip RocksDB's WAL: the Raft log is the write-ahead log. Every
 * mutation is one {@code WriteBatch} holding the data, the partition metas and the applied index,
 * and flushes are atomic across column families, so after a crash the store holds exactly the
 * entries up to {@link #applied()} and the caller replays the later ones from Raft.
 * {@link #flush()} makes everything durable before the caller purges its log.
 *
 * <p><b>Concurrency.</b> Mutations come from one writer thread (serialized here anyway). Readers run
 * concurrently: each partition's offsets are published in memory only after its write batch
 * commits, and reads are clamped to the published next offset, so a reader sees whole entries only.
 * {@link #close()} waits for running calls; later calls throw {@link IllegalStateException}.
 *
 * <p><b>Failures.</b> Checksums are verified on every read and a read error is never mistaken for
 * the end of the log: damaged data raises {@link StorageException}. A failed write leaves the store
 * failed (every later mutation throws) until it is closed and reopened from disk.
 *
 * <p><b>Trims</b> are logical (see {@link RocksTrimPlanner}); {@link #flush()} then drops the data
 * files lying wholly below each durable log start.
 *
 * <p><b>Snapshots.</b> {@link #checkpoint} writes a RocksDB checkpoint (hard links) after a flush,
 * without stopping mutations; {@link #open} opens such a directory like any other store directory.
 */
public final class RocksDbPartitionStore implements PartitionStore {

  private interface Mutation<T> {
    T apply(WriteBatch wb, Set<PartitionId> touched) throws RocksDBException;
  }

  private final Path dir;
  private final String context;
  private final StorageResources resources;
  private final RocksDatabase database;
  private final RocksHandles handles;
  private final int maxProducers;
  private final RocksLogReader reader;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Object writeMutex = new Object();
  /** Writer-side state, guarded by {@link #writeMutex}. */
  private final Map<PartitionId, PartitionState> partitions;
  /** What readers see: offsets of committed writes only. */
  private final Map<PartitionId, PartitionOffsets> published = new ConcurrentHashMap<>();
  private volatile AppliedIndex applied;
  private volatile StorageException failure;
  private boolean closed;

  private RocksDbPartitionStore(Path dir, StorageResources resources, RocksDatabase database,
      RocksStoreLoader.Loaded loaded) {
    this.dir = dir;
    this.resources = resources;
    this.database = database;
    this.handles = database.handles();
    this.context = handles.context();
    this.maxProducers = resources.settings().maxProducersPerPartition();
    this.reader = new RocksLogReader(handles, this::offsets);
    this.partitions = loaded.partitions();
    this.applied = loaded.applied();
    loaded.partitions().forEach((p, s) -> published.put(p, s.offsets()));
  }

  /**
   * Opens the store in {@code dir}, creating it if missing. Works the same on a directory written by
   * {@link #checkpoint}.
   *
   * @throws StorageException if the directory cannot be opened (in use, not a store, damaged)
   */
  public static RocksDbPartitionStore open(Path dir, StorageResources resources) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(resources, "resources");
    final String context = "partition store " + dir;
    resources.acquire();
    RocksDatabase database = null;
    try {
      database = RocksDatabase.open(dir, resources, context);
      final RocksStoreLoader.Loaded loaded = RocksStoreLoader.load(database.handles(),
          resources.settings().maxProducersPerPartition());
      return new RocksDbPartitionStore(dir, resources, database, loaded);
    } catch (IOException | RocksDBException | RuntimeException e) {
      if (database != null) {
        try {
          database.close();
        } catch (RocksDBException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      resources.release();
      if (e instanceof StorageException se) {
        throw se;
      }
      if (e instanceof RocksDBException re) {
        throw StorageException.of("cannot open " + context, re);
      }
      throw new StorageException("cannot open " + context + ": " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return dir;
  }

  /** The open database, for tests and diagnostics in this package. */
  RocksHandles handles() {
    return handles;
  }

  @Override
  public List<AppendResult> append(AppliedIndex at, List<BatchAppend> batches) {
    StoreArgs.checkBatches(batches);
    return mutate(at, (wb, touched) -> {
      handles.batches().ensure(batches.stream().map(BatchAppend::partition).toList());
      final List<AppendResult> results = new ArrayList<>(batches.size());
      for (BatchAppend b : batches) {
        final PartitionId p = b.partition();
        final PartitionState s =
            partitions.computeIfAbsent(p, k -> new PartitionState(maxProducers));
        final PartitionState.Appended a = s.append(b.header());
        results.add(a.result());
        if (!a.stored()) {
          continue;
        }
        final long base = a.result().baseOffset();
        final long maxTs = b.header().maxTimestampMs();
        resources.directPuts().put(wb, handles.batches().get(p), StoreKeys.batch(p,
            new BatchKey(base, b.header().recordCount(), maxTs, b.size())), b.batch());
        if (a.newMaxTimestamp()) {
          wb.put(handles.state(), StoreKeys.time(p, maxTs, base), new byte[0]);
        }
        if (a.producerUpdate() != null) {
          final ProducerTable.Update u = a.producerUpdate();
          wb.put(handles.state(), StoreKeys.producer(p, u.state().getProducerId()),
              u.state().toByteArray());
          if (u.evicted()) {
            wb.delete(handles.state(), StoreKeys.producer(p, u.evictedProducerId()));
          }
        }
        touched.add(p);
      }
      return results;
    });
  }

  @Override
  public long trim(AppliedIndex at, PartitionId partition, long upToOffset) {
    Objects.requireNonNull(partition, "partition");
    return mutate(at, (wb, touched) -> {
      final PartitionState s = partitions.get(partition);
      if (s == null) {
        return 0L;
      }
      final RocksTrimPlanner.TrimPlan plan =
          RocksTrimPlanner.plan(handles, partition, s, upToOffset, wb);
      if (plan != null) {
        s.trimmed(plan.newLogStart(), plan.removedBytes(), plan.removedBatches(),
            plan.newMaxTimestampMs());
        touched.add(partition);
      }
      return s.logStartOffset();
    });
  }

  /**
   * Creates the column families of these partitions in one call. Measured at 1,000 partitions (W4,
   * 333 per Raft group): RocksDB rewrites and re-parses its options file, every family in it, on
   * each creation, and creating them as batches first arrived (a few per entry) kept the apply
   * thread busy for the first minute of writes, 60 % of broker CPU.
   */
  @Override
  public void prepare(Collection<PartitionId> partitions) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      synchronized (writeMutex) {
        handles.batches().ensure(partitions);
      }
    } catch (RocksDBException e) {
      throw StorageException.of(context + ": creating column families failed", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void recordApplied(AppliedIndex at) {
    mutate(at, (wb, touched) -> null);
  }

  /** Runs one mutation as one write batch with the applied index, then publishes its offsets. */
  private <T> T mutate(AppliedIndex at, Mutation<T> mutation) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      synchronized (writeMutex) {
        if (failure != null) {
          throw new StorageException(context + " failed earlier; close and reopen it", failure);
        }
        StoreArgs.checkOrder(at, applied);
        final Set<PartitionId> touched = new HashSet<>();
        try (WriteBatch wb = new WriteBatch()) {
          final T result = mutation.apply(wb, touched);
          for (PartitionId p : touched) {
            wb.put(handles.state(), StoreKeys.meta(p),
                partitions.get(p).toMeta(false).toByteArray());
          }
          wb.put(handles.state(), StoreKeys.single(StoreKeys.APPLIED),
              StoreKeys.encodeApplied(at.term(), at.index()));
          database.write(wb);
          for (PartitionId p : touched) {
            published.put(p, partitions.get(p).offsets());
          }
          applied = at;
          return result;
        } catch (RocksDBException | RuntimeException e) {
          // The writer-side state may be ahead of the disk now; only a reopen can reconcile them.
          failure = new StorageException(context + ": write of entry " + at + " failed: "
              + e.getMessage(), e);
          throw failure;
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public AppliedIndex applied() {
    return applied;
  }

  @Override
  public PartitionOffsets offsets(PartitionId partition) {
    Objects.requireNonNull(partition, "partition");
    return published.getOrDefault(partition, new PartitionOffsets(0, 0, 0, 0));
  }

  @Override
  public List<StoredBatch> read(PartitionId partition, long fromOffset, int maxBytes) {
    StoreArgs.checkRead(partition, maxBytes);
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      // Offsets first, iterator second: the iterator then sees at least every published write.
      final PartitionOffsets o = offsets(partition);
      if (fromOffset < o.logStartOffset() || fromOffset > o.nextOffset()) {
        throw new OffsetOutOfRangeException(fromOffset, o.logStartOffset(), o.nextOffset());
      }
      if (fromOffset == o.nextOffset()) {
        return List.of();
      }
      return reader.read(partition, fromOffset, o.logStartOffset(), o.nextOffset(), maxBytes);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public Optional<TimestampOffset> offsetForTimestamp(PartitionId partition, long timestampMs) {
    Objects.requireNonNull(partition, "partition");
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      final PartitionOffsets o = offsets(partition);
      if (o.batchCount() == 0) {
        return Optional.empty();
      }
      return reader.offsetForTimestamp(partition, timestampMs, o.nextOffset());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Has RocksDB read every live data file and check each block's checksum. */
  @Override
  public void verify() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      database.verifyChecksums();
    } catch (RocksDBException e) {
      throw StorageException.of(context + ": verification failed", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Flushes every column family atomically, then drops the data files that lie wholly below each
   * partition's log start (trimmed batches), which the flush has just made durable.
   */
  @Override
  public void flush() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      // Log starts read before the flush are covered by it, so dropping below them is safe.
      final Map<PartitionId, Long> trimmed = new HashMap<>();
      published.forEach((p, o) -> {
        if (o.logStartOffset() > 0) {
          trimmed.put(p, o.logStartOffset());
        }
      });
      database.flush();
      for (Map.Entry<PartitionId, Long> t : trimmed.entrySet()) {
        database.dropBatchFiles(t.getKey(), StoreKeys.prefix(StoreKeys.BATCH, t.getKey()),
            StoreKeys.batchAt(t.getKey(), t.getValue()));
      }
    } catch (RocksDBException e) {
      throw StorageException.of(context + ": flush failed", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Flushes, then hard-links the store's files into {@code target}. Mutations go on meanwhile: the
   * flush is atomic across column families and each mutation is one write batch holding its
   * applied index, so the copy is the state after some whole entry at or after the one applied
   * when the call began.
   *
   * @throws IllegalArgumentException if {@code target} exists
   */
  @Override
  public void checkpoint(Path target) {
    Objects.requireNonNull(target, "target");
    if (Files.exists(target)) {
      throw new IllegalArgumentException("checkpoint target already exists: " + target);
    }
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      final Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      database.checkpoint(target);
    } catch (IOException | RocksDBException e) {
      throw new StorageException(context + ": checkpoint to " + target + " failed: "
          + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(context + " is closed");
    }
  }

  /** Flushes (unless the store failed), waits for running calls and frees every native handle. */
  @Override
  public void close() throws IOException {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RocksDBException error = null;
      try {
        if (failure == null) {
          database.flush();
        }
      } catch (RocksDBException e) {
        error = e;
      }
      try {
        database.close();
      } catch (RocksDBException e) {
        error = error == null ? e : error;
      }
      resources.release();
      if (error != null) {
        throw new IOException(context + ": close failed: " + error.getMessage(), error);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
