package dev.runnel.server.partition;

import dev.runnel.server.config.ServerConfigKeys;
import dev.runnel.server.storage.EntryDataFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a broker's partition groups share for entry payloads kept outside the Raft log (see
 * {@link EntryDataFiles}): whether new entries are written that way, the files' sizes, and the
 * threads that sync them.
 *
 * <p>Why a thread pool: Ratis's log worker asks for the payloads' sync and then forces its own log
 * file, waiting for both before the entries count. Run on a thread of their own, the two fsyncs
 * overlap, so a group commit costs about one fsync's time, not two. Each group's log worker waits
 * for its sync before it asks again, so a group has at most one sync queued here.
 */
public final class EntryPayloads implements AutoCloseable {
  /** The directory, next to the store's, in a group's storage root. */
  public static final String DIR = "entry-data";
  /** Every payload a broker may have written, whatever its max.batch.bytes then or now. */
  private static final int LARGEST_POSSIBLE_PAYLOAD =
      ServerConfigKeys.MAX_BATCH_BYTES_LIMIT + ServerConfigKeys.RAFT_ENTRY_OVERHEAD_BYTES;
  /**
   * Sync threads per broker. A group waits for its own sync only, so more threads than groups
   * syncing at once add nothing; fewer make groups queue behind each other's fsyncs.
   */
  public static final int DEFAULT_SYNC_THREADS = 8;

  private final boolean separate;
  private final long fileBytes;
  private final int maxPayloadBytes;
  private final ExecutorService syncs;

  /**
   * @param separate whether new entries carry their command as state-machine data (both kinds are
   *     read either way)
   * @param fileBytes size at which a group's entry-data file is rolled
   * @param maxPayloadBytes the largest command an entry may carry
   * @param syncThreads threads for the groups' syncs (at most one queued per group)
   */
  public EntryPayloads(boolean separate, long fileBytes, int maxPayloadBytes, int syncThreads) {
    this.separate = separate;
    this.fileBytes = fileBytes;
    this.maxPayloadBytes = maxPayloadBytes;
    AtomicInteger n = new AtomicInteger();
    this.syncs = Executors.newFixedThreadPool(syncThreads, r -> {
      Thread t = new Thread(r, "entry-data-sync-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public boolean separate() {
    return separate;
  }

  /** Opens a group replica's entry-data files under its storage root. */
  EntryDataFiles open(Path groupRoot) throws IOException {
    return EntryDataFiles.open(groupRoot.resolve(DIR), fileBytes, maxPayloadBytes,
        Math.max(maxPayloadBytes, LARGEST_POSSIBLE_PAYLOAD));
  }

  /** Syncs {@code files} on a pool thread; the future fails with the I/O error, if any. */
  CompletableFuture<Void> sync(EntryDataFiles files) {
    return CompletableFuture.runAsync(() -> {
      try {
        files.sync();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, syncs);
  }

  @Override
  public void close() throws InterruptedException {
    syncs.shutdown();
    syncs.awaitTermination(10, TimeUnit.SECONDS);
  }
}
