package dev.runnel.server.partition;

import dev.runnel.server.config.ServerConfigKeys;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.storage.StorageException;
import dev.runnel.server.storage.StoreOpener;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.RaftServerConfigKeys.Log.CorruptionPolicy;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.util.SizeInBytes;

/**
 * Checks a partition replica's files before Ratis opens them. Ratis refuses to start a server at
 * all when one group's log is unreadable, and silently drops a log tail it takes for a torn write;
 * a broker must instead take just the damaged replica out of service and keep serving the others.
 *
 * <p>Finds: a Raft log segment that fails its checksums or holds fewer entries than its name says;
 * a Raft log that ends before an entry the store has already applied (its tail was lost, and with
 * it this replica's promise about committed entries); a store RocksDB cannot open; and, when asked
 * to read everything, any data block whose checksum does not match.
 */
public final class ReplicaCheck {
  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  static final String RAFT_META = "raft-meta";
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)(?:\\..*)?");

  /** Every entry a broker may have written, whatever its max.batch.bytes. */
  private static final SizeInBytes LARGEST_POSSIBLE_ENTRY = SizeInBytes.valueOf(
      (long) ServerConfigKeys.MAX_BATCH_BYTES_LIMIT + ServerConfigKeys.RAFT_ENTRY_OVERHEAD_BYTES);

  private final StoreOpener opener;
  private final SizeInBytes maxEntrySize;

  public ReplicaCheck(StoreOpener opener, SizeInBytes maxEntrySize) {
    this.opener = opener;
    this.maxEntrySize = maxEntrySize;
  }

  /**
   * What is wrong with the replica's Raft metadata file, or empty: reads only that file, so it is
   * safe while Ratis or the store may still hold the replica's other files.
   */
  public Optional<String> metadataDamage(Path groupDir) {
    try {
      checkMetadata(groupDir.resolve("current").resolve(RAFT_META));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** What is wrong with the replica in {@code groupDir}, or empty if nothing was found. */
  public Optional<String> damage(Path groupDir, boolean readAllData) {
    long logEnd;
    try {
      checkMetadata(groupDir.resolve("current").resolve(RAFT_META));
      logEnd = checkLog(groupDir.resolve("current"));
    } catch (DamageFound d) {
      return Optional.of(d.getMessage());
    } catch (IOException e) {
      return Optional.of("cannot read the Raft log: " + e.getMessage());
    }
    Path db = groupDir.resolve("db");
    if (!Files.isDirectory(db)) {
      return Optional.empty();
    }
    long checkpoint = Checkpoints.latest(groupDir.resolve("sm")).map(Checkpoints.Checkpoint::index).orElse(-1L);
    try (PartitionStore store = opener.open(db)) {
      long applied = store.applied().index();
      if (logEnd >= 0 && logEnd < checkpoint) {
        // Ratis drops log entries behind a snapshot only as a whole: a log that still exists but
        // stops short of the snapshot lost its tail, and Ratis would fail on the next append.
        return Optional.of("the Raft log ends at entry " + logEnd + ", before the latest snapshot at "
            + checkpoint + ": the log lost its tail");
      }
      if (applied > Math.max(logEnd, checkpoint)) {
        return Optional.of("the Raft log ends at entry " + logEnd + " but the store has applied entry "
            + applied + " (latest snapshot " + checkpoint + "): the log lost committed entries");
      }
      if (readAllData) {
        store.verify();
      }
      return Optional.empty();
    } catch (StorageException e) {
      return Optional.of("store: " + e.getMessage());
    } catch (IOException e) {
      return Optional.of("cannot open the store: " + e.getMessage());
    }
  }

  /**
   * The member's persisted term and vote. Ratis 3.3 writes this file through a temporary file that
   * it renames into place even when the write failed (its try-with-resources closes, and so
   * commits, the half-written file): after a write that hit a full disk it was found empty. Ratis
   * then refuses to load the group, and at start-up the whole server with it; and a member that
   * forgot its vote must not vote again before it is rebuilt.
   */
  private static void checkMetadata(Path meta) throws IOException {
    if (!Files.exists(meta)) {
      return;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new DamageFound("the Raft metadata file " + RAFT_META + " is unreadable: " + e.getMessage());
    }
    String term = p.getProperty("term");
    if (term == null || !term.matches("\\d+") || p.getProperty("votedFor") == null) {
      throw new DamageFound("the Raft metadata file " + RAFT_META + " lacks its term or vote ("
          + Files.size(meta) + " bytes): the member's vote is lost");
    }
  }

  /** Reads every segment with its checksums; returns the last log index (-1 if none). */
  private long checkLog(Path current) throws IOException {
    if (!Files.isDirectory(current)) {
      return -1;
    }
    List<LogSegmentPath> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(current)) {
      files.map(LogSegmentPath::matchLogSegment).filter(s -> s != null).forEach(segments::add);
    }
    long last = -1;
    for (LogSegmentPath s : segments) {
      String name = s.getPath().getFileName().toString();
      int count;
      try {
        count = LogSegment.readSegmentFile(s.getPath().toFile(), s.getStartEnd(), maxEntrySize,
            CorruptionPolicy.EXCEPTION, null, null);
      } catch (IOException | RuntimeException e) {
        refuseIfWrittenWithLargerEntries(s, name);
        throw new DamageFound("Raft log segment " + name + " is unreadable: " + e.getMessage());
      }
      // Ratis keeps the indices in the file name (log_<start>-<end>, log_inprogress_<start>) but
      // does not expose them; an open segment's end is wherever its entries stop.
      Matcher closed = CLOSED.matcher(name);
      Matcher open = OPEN.matcher(name);
      long start;
      if (closed.matches()) {
        start = Long.parseLong(closed.group(1));
        long expected = Long.parseLong(closed.group(2)) - start + 1;
        if (count != expected) {
          throw new DamageFound("Raft log segment " + name + " holds " + count
              + " entries, its name says " + expected);
        }
      } else if (open.matches()) {
        start = Long.parseLong(open.group(1));
      } else {
        continue;
      }
      if (count > 0) {
        last = Math.max(last, start + count - 1);
      }
    }
    return last;
  }

  /**
   * A segment this broker cannot read may be intact but hold entries larger than its
   * configuration allows: written before max.batch.bytes was lowered (its default went from 4 to
   * 2 MiB). Ratis would fail to load it too, on every replica alike, so calling it damage would
   * take the whole partition out of service. If it reads with the largest entry size any
   * configuration allows, the broker refuses to start and says what to set instead.
   */
  private void refuseIfWrittenWithLargerEntries(LogSegmentPath s, String name) {
    int[] largest = {0};
    try {
      LogSegment.readSegmentFile(s.getPath().toFile(), s.getStartEnd(), LARGEST_POSSIBLE_ENTRY,
          CorruptionPolicy.EXCEPTION, null, e -> largest[0] = Math.max(largest[0], e.getSerializedSize()));
    } catch (IOException | RuntimeException e) {
      return; // unreadable whatever the limit: damage
    }
    if (largest[0] > maxEntrySize.getSize()) {
      long needed = largest[0] - (long) ServerConfigKeys.RAFT_ENTRY_OVERHEAD_BYTES;
      throw new EntriesLargerThanConfigured("Raft log segment " + s.getPath() + " holds an entry of "
          + largest[0] + " bytes, more than this broker reads (max.batch.bytes + 64 KiB = "
          + maxEntrySize.getSize() + "): it was written with a larger max.batch.bytes. Set "
          + "max.batch.bytes to at least " + Math.max(needed, 1) + " (4MiB was the default before "
          + "it became 2MiB) and start again; nothing was changed on disk.");
    }
  }

  /** Stops the broker's start: its configuration cannot read what its replicas hold. */
  public static final class EntriesLargerThanConfigured extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EntriesLargerThanConfigured(String message) {
      super(message);
    }
  }

  private static final class DamageFound extends IOException {
    private static final long serialVersionUID = 1L;

    DamageFound(String message) {
      super(message);
    }
  }
}
