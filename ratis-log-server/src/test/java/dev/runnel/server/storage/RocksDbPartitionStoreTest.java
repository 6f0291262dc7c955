package dev.runnel.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.record.TestBatches;
import dev.runnel.server.storage.PartitionStore.StoredBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/** Runs the store contract on {@link RocksDbPartitionStore}, plus RocksDB-specific checks. */
class RocksDbPartitionStoreTest extends PartitionStoreContractTest {

  private static final long MIB = 1024 * 1024;
  private final Map<Integer, StorageResources> resources = new HashMap<>();

  static StorageResources.Settings settings(int maxProducers) {
    return settings(maxProducers, false);
  }

  static StorageResources.Settings settings(int maxProducers, boolean directWrites) {
    return new StorageResources.Settings(8 * MIB, 16 * MIB, MIB, 2, 64, maxProducers, directWrites);
  }

  /** Whether this run's stores flush with O_DIRECT ({@link RocksDbDirectWritesTest} says yes). */
  boolean directWrites() {
    return false;
  }

  StorageResources resources(int maxProducers) {
    return resources.computeIfAbsent(maxProducers,
        m -> StorageResources.create(settings(m, directWrites())));
  }

  @Override
  protected PartitionStore openStore(Path dir, int maxProducers) {
    return RocksDbPartitionStore.open(dir, resources(maxProducers));
  }

  @Override
  protected PartitionStore reopenStore(PartitionStore store, Path dir, int maxProducers)
      throws IOException {
    store.close();
    return RocksDbPartitionStore.open(dir, resources(maxProducers));
  }

  @Override
  protected PartitionStore openCheckpoint(Path checkpointDir) {
    return RocksDbPartitionStore.open(checkpointDir, resources(ProducerTable.DEFAULT_MAX_PRODUCERS));
  }

  @Override
  protected void afterStoresClosed() {
    resources.values().forEach(r -> {
      assertEquals(0, r.openStores(), "every store released its resources");
      r.close();
    });
  }

  @Test
  void sameEntriesGiveTheSameContentsAsTheInMemoryStore() throws IOException {
    try (InMemoryPartitionStore memory = InMemoryPartitionStore.create()) {
      final PartitionStore rocks = open();
      final StoreWorkload workload = new StoreWorkload(7, List.of(P0, P1));
      for (int i = 0; i < 600; i++) {
        workload.step(List.of(memory, rocks));
      }
      workload.assertCoveredEveryCase();
      StoreWorkload.assertSameContents(memory, rocks, List.of(P0, P1));
    }
  }

  @Test
  void afterACrashTheAppliedIndexTellsExactlyWhatIsStored() throws Exception {
    final Path dir = newDir();
    final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    final Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString(),
        "50", "120", Boolean.toString(directWrites())).redirectErrorStream(true).start();
    final boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly();
    }
    final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(exited, "child did not finish: " + output);
    assertTrue(output.contains("appended 120"), output);
    final PartitionStore s = open(dir, 10);
    // Entries after the last flush (ours at 50, or RocksDB's own ones later) were only in the
    // memtables, without WAL: they are lost together with their applied index, never apart.
    final long applied = s.applied().index();
    assertTrue(applied >= 50 && applied < 120, "applied " + s.applied());
    assertEquals(2 * applied, s.offsets(P0).nextOffset());
    final List<StoredBatch> stored = readAll(s, P0);
    assertEquals(applied, stored.size());
    for (int i = 1; i <= applied; i++) {
      assertArrayEquals(CrashingWriter.entry(i), stored.get(i - 1).batch());
    }
    // Replaying the lost entries from the Raft log gives what an uninterrupted run would have.
    for (int i = (int) applied + 1; i <= 120; i++) {
      final List<AppendResult> r = s.append(new AppliedIndex(1, i),
          List.of(TestBatches.append(P0, CrashingWriter.entry(i))));
      assertEquals(2L * (i - 1), r.get(0).baseOffset());
    }
  }

  /**
   * Goal: with WAL off and each partition's batches in a column family of their own, a payload
   * byte is written to disk once by RocksDB (flush; compaction only moves files), also when the
   * store serves several partitions whose appends interleave (one Raft group, several partitions),
   * and trimmed data leaves the disk. With the partitions sharing one column family, compactions
   * rewrote the retained log of the partitions in between again and again.
   */
  @Test
  void payloadIsWrittenOnceAndTrimmedFilesAreDropped() throws Exception {
    final RocksDbPartitionStore s = (RocksDbPartitionStore) open(newDir(), 10);
    final List<PartitionId> partitions = List.of(P0, P1, new PartitionId(P0.topicId(), 2));
    long payload = 0;
    for (int i = 0; i < 1_500; i++) {
      final PartitionId p = partitions.get(i % partitions.size());
      final byte[] b = TestBatches.builder().records(8).valueBytes(4_000).seed(i).build();
      payload += b.length;
      appendOne(s, p, b);
      if (i % 300 == 299) {
        for (PartitionId q : partitions) {
          trim(s, q, s.offsets(q).nextOffset() - 1_200);
        }
      }
    }
    s.flush();
    final RocksDB db = s.handles().db();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && db.getLongProperty("rocksdb.num-running-compactions") > 0) {
      Thread.sleep(20);
    }
    double written = 0;
    long live = 0;
    long retained = 0;
    for (PartitionId p : partitions) {
      final ColumnFamilyHandle cf = s.handles().batches().get(p);
      written += Double.parseDouble(db.getMapProperty(cf, "rocksdb.cfstats")
          .get("compaction.Sum.WriteGB")) * (1L << 30);
      live += db.getLongProperty(cf, "rocksdb.live-sst-files-size");
      retained += s.offsets(p).storedBytes();
    }
    assertTrue(written < 1.1 * payload,
        "RocksDB wrote " + (long) written + " bytes for " + payload + " bytes of batches");
    assertTrue(live < retained + 3 * 4 * MIB, "live files " + live + " for " + retained + " retained");
  }

  /**
   * Consumers read each batch once per pass and the OS page cache holds recent files: batches read
   * must not fill the shared block cache (a consume from the start grew each broker's RSS by the
   * whole cache).
   */
  @Test
  void readingBatchesLeavesTheBlockCacheAlone() throws Exception {
    final RocksDbPartitionStore s = (RocksDbPartitionStore) open(newDir(), 10);
    for (int i = 0; i < 400; i++) {
      appendOne(s, P0, TestBatches.builder().records(8).valueBytes(4_000).seed(i).build());
    }
    s.flush();
    final long before = resources(10).cacheUsageBytes();
    long offset = 0;
    long read = 0;
    for (int i = 0; i < 1_000 && offset < s.offsets(P0).nextOffset(); i++) {
      for (StoredBatch b : s.read(P0, offset, 1 << 20)) {
        offset = b.baseOffset() + b.recordCount();
        read += b.batch().length;
      }
    }
    assertEquals(s.offsets(P0).nextOffset(), offset);
    assertTrue(read > 12 * MIB, "read " + read);
    final long grown = resources(10).cacheUsageBytes() - before;
    // Index blocks of the files read may be cached; the 12 MB of data blocks must not be.
    assertTrue(grown < MIB, "block cache grew by " + grown + " bytes reading " + read);
  }

  /** A group serving many partitions: each gets its family, and a reopen finds them all. */
  @Test
  void manyPartitionsInOneEntryGetTheirOwnFamiliesAndSurviveAReopen() throws IOException {
    final Path dir = newDir();
    final List<PartitionStore.BatchAppend> appends = new ArrayList<>();
    for (int p = 0; p < 500; p++) {
      appends.add(TestBatches.append(new PartitionId(P0.topicId(), p), batch(1, p)));
    }
    PartitionStore s = open(dir, 10);
    s.append(new AppliedIndex(1, 1), appends);
    s.append(new AppliedIndex(1, 2), appends);
    s.close();
    s = open(dir, 10);
    for (int p = 0; p < 500; p++) {
      final List<StoredBatch> stored = readAll(s, new PartitionId(P0.topicId(), p));
      assertEquals(2, stored.size(), "partition " + p);
      assertArrayEquals(batch(1, p), stored.get(1).batch());
    }
    assertEquals(500, ((RocksDbPartitionStore) s).handles().batches().all().size());
    s.close();
  }

  /**
   * Families prepared ahead in one call are there, empty, before any append, survive a reopen,
   * and take appends; preparing again, or partitions that already have a family, changes nothing.
   */
  @Test
  void preparedPartitionsHaveTheirFamiliesBeforeTheirFirstAppend() throws Exception {
    final Path dir = newDir();
    final List<PartitionId> parts = new ArrayList<>();
    for (int p = 0; p < 300; p++) {
      parts.add(new PartitionId(P0.topicId(), p));
    }
    RocksDbPartitionStore s = (RocksDbPartitionStore) open(dir, 10);
    s.prepare(parts.subList(0, 200));
    s.prepare(parts);
    s.prepare(List.of());
    assertEquals(300, s.handles().batches().all().size());
    assertEquals(0, s.offsets(parts.get(5)).nextOffset());
    assertTrue(readAll(s, parts.get(5)).isEmpty());
    s.close();
    try (Options o = new Options()) {
      assertEquals(301, RocksDB.listColumnFamilies(o, dir.toString()).size(),
          "300 batch families and the default family, which holds the state");
    }
    s = (RocksDbPartitionStore) open(dir, 10);
    s.append(new AppliedIndex(1, 1), List.of(TestBatches.append(parts.get(299), batch(1, 7))));
    assertArrayEquals(batch(1, 7), readAll(s, parts.get(299)).get(0).batch());
    assertEquals(300, s.handles().batches().all().size());
    s.close();
  }

  @Test
  void checkpointInstalledInPlaceOfTheStoreDirectoryOpens() throws IOException {
    final Path dir = newDir();
    PartitionStore s = open(dir, 10);
    for (int i = 0; i < 30; i++) {
      appendOne(s, P0, batch(2, i));
    }
    final Path checkpoint = tmp.resolve("snapshot/ckpt");
    s.checkpoint(checkpoint);
    final List<StoredBatch> before = readAll(s, P0);
    final AppliedIndex applied = s.applied();
    appendOne(s, P0, batch(2, 99)); // lost when the snapshot replaces the directory
    s.close();
    deleteTree(dir);
    Files.move(checkpoint, dir);
    s = open(dir, 10);
    assertEquals(applied, s.applied());
    assertSameBatches(before, readAll(s, P0));
    assertEquals(60, appendOne(s, P0, batch(2, 100)).baseOffset());
  }

  @Test
  void flippedBytesInADataFileAreDetected() throws IOException {
    final Path dir = newDir();
    // Own resources: a shared cache could still hold the intact blocks and serve them.
    final List<byte[]> written = new ArrayList<>();
    try (StorageResources own = StorageResources.create(settings(10, directWrites()))) {
      try (RocksDbPartitionStore s = RocksDbPartitionStore.open(dir, own)) {
        for (int i = 0; i < 200; i++) {
          final byte[] b = TestBatches.builder().records(4).valueBytes(1_000).seed(i).build();
          written.add(b);
          appendOne(s, P0, b);
        }
      }
    }
    final List<Path> ssts = listFiles(dir, ".sst");
    assertFalse(ssts.isEmpty(), "close flushed the memtable into an .sst");
    for (Path sst : ssts) {
      try (RandomAccessFile f = new RandomAccessFile(sst.toFile(), "rw")) {
        final long middle = f.length() / 2;
        for (int i = 0; i < 16; i++) {
          f.seek(middle + i);
          final int v = f.read();
          f.seek(middle + i);
          f.write(v ^ 0xA5);
        }
      }
    }
    try (StorageResources own = StorageResources.create(settings(10, directWrites()))) {
      final StorageException e = assertThrows(StorageException.class, () -> {
        try (RocksDbPartitionStore s = RocksDbPartitionStore.open(dir, own)) {
          // Every batch read so far must be exactly what was written.
          long offset = 0;
          for (int i = 0; i < 1_000 && offset < s.offsets(P0).nextOffset(); i++) {
            for (StoredBatch b : s.read(P0, offset, 64 * 1024)) {
              assertTrue(java.util.Arrays.equals(written.get((int) (b.baseOffset() / 4)),
                  b.batch()), "batch at " + b.baseOffset() + " was returned damaged");
              offset = b.lastOffset() + 1;
            }
          }
        }
      });
      assertTrue(e.getMessage().toLowerCase().contains("corrupt")
          || e.getMessage().contains("checksum"), e.getMessage());
      assertEquals(0, own.openStores());
    }
  }

  @Test
  void manyStoresShareResourcesAndReleaseEverything() throws IOException {
    final long fdsBefore = countEntries(Path.of("/proc/self/fd"));
    final StorageResources shared = StorageResources.create(settings(10, directWrites()));
    final long threadsWithNoStore = countEntries(Path.of("/proc/self/task"));
    final List<RocksDbPartitionStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        final RocksDbPartitionStore s = RocksDbPartitionStore.open(newDir(), shared);
        stores.add(s);
        for (int j = 0; j < 10; j++) {
          appendOne(s, P0, TestBatches.builder().records(2).valueBytes(500).seed(j).build());
        }
      }
      assertEquals(50, shared.openStores());
      final long threads = countEntries(Path.of("/proc/self/task")) - threadsWithNoStore;
      assertTrue(threads <= 8, "threads grew by " + threads + " for 50 stores");
      for (RocksDbPartitionStore s : stores) {
        assertEquals(10, s.read(P0, 0, Integer.MAX_VALUE).size());
      }
      assertTrue(shared.cacheUsageBytes() <= 8 * MIB + 16 * MIB + MIB,
          "cache usage " + shared.cacheUsageBytes());
      final IllegalStateException busy = assertThrows(IllegalStateException.class, shared::close);
      assertTrue(busy.getMessage().contains("50 stores"), busy.getMessage());
    } finally {
      for (RocksDbPartitionStore s : stores) {
        s.close();
      }
    }
    assertEquals(0, shared.openStores());
    shared.close();
    final long fdsAfter = countEntries(Path.of("/proc/self/fd"));
    assertTrue(fdsAfter <= fdsBefore + 2, "file descriptors " + fdsBefore + " -> " + fdsAfter);
  }

  @Test
  void aDirectoryInUseIsRefused() {
    final Path dir = newDir();
    open(dir, 10);
    final StorageException e = assertThrows(StorageException.class,
        () -> RocksDbPartitionStore.open(dir, resources(10)));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertEquals(1, resources(10).openStores(), "the failed open released its share");
  }

  @Test
  void anotherRocksDbDatabaseIsRefused() throws Exception {
    final Path dir = newDir();
    try (Options o = new Options().setCreateIfMissing(true);
        RocksDB other = RocksDB.open(o, dir.toString())) {
      other.put("hello".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }
    final StorageException e = assertThrows(StorageException.class,
        () -> RocksDbPartitionStore.open(dir, resources(10)));
    assertTrue(e.getMessage().contains("not a Runnel partition store"), e.getMessage());
  }

  @Test
  void settingsAreValidated() {
    assertThrows(IllegalArgumentException.class,
        () -> new StorageResources.Settings(8 * MIB, MIB, 2 * MIB, 2, 64, 10, false));
    assertThrows(IllegalArgumentException.class,
        () -> new StorageResources.Settings(8 * MIB, 16 * MIB, MIB, 0, 64, 10, false));
    assertThrows(IllegalArgumentException.class,
        () -> new StorageResources.Settings(8 * MIB, 16 * MIB, MIB, 2, 64, 0, false));
  }

  static List<Path> listFiles(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  static long countEntries(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.count();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
