package dev.runnel.server.raft;

/**
 * When a Raft group's state machine takes its next snapshot: after {@code entries} applied entries
 * or {@code bytes} of applied entries since the last one, whichever comes first.
 *
 * <p>Why bytes too: the Raft log is purged only behind a snapshot, so what a group keeps on disk
 * between snapshots is entries × entry size, and entries range from a few hundred bytes to
 * {@code max.batch.bytes} (2 MiB): 4,096 of W1's ~290 KB entries kept 1.2 GB of log per group, 8 GiB
 * at the largest entries. Ratis triggers snapshots by entry count only, so it is told to ask every
 * {@link #RATIS_CHECK_ENTRIES} entries and the state machine answers with this policy.
 */
public record SnapshotPolicy(long entries, long bytes) {

  /** How often (in applied entries) Ratis asks the state machine whether a snapshot is due. */
  public static final int RATIS_CHECK_ENTRIES = 16;

  public SnapshotPolicy {
    if (entries < 1 || bytes < 1) {
      throw new IllegalArgumentException("entries and bytes must be positive: " + entries + ", "
          + bytes);
    }
  }

  /** Whether a snapshot is due after this many entries and bytes applied since the last one. */
  public boolean due(long entriesSince, long bytesSince) {
    return entriesSince >= entries || bytesSince >= bytes;
  }
}
