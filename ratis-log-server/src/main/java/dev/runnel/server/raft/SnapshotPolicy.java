package dev.runnel.server.raft;

import java.util.random.RandomGenerator;

/**
 * When a Raft group's state machine takes its next snapshot: after {@code entries} applied entries
 * or {@code bytes} of applied entries since the last one, whichever comes first, each lowered by a
 * random fraction of up to {@code jitterPercent} drawn anew for every snapshot.
 *
 * <p>Why bytes too: the Raft log is purged only behind a snapshot, so what a group keeps on disk
 * between snapshots is entries × entry size, and entries range from a few hundred bytes to
 * {@code max.batch.bytes} (2 MiB): 4,096 of W1's ~290 KB entries kept 1.2 GB of log per group, 8 GiB
 * at the largest entries. Ratis triggers snapshots by entry count only, so it is told to ask every
 * {@link #RATIS_CHECK_ENTRIES} entries and the state machine answers with this policy.
 *
 * <p>Why the jitter: the partitions of a topic take equal shares of its load, so without it every
 * group of the topic (and every replica of each) reached the threshold in the same second and
 * checkpointed together, a burst of RocksDB flushes and fsyncs that raised the brokers' produce
 * latency for that second to 4-8 times its usual value (docs/performance.md). The thresholds only
 * go down, so the bound on a group's log stays what the operator configured.
 */
public record SnapshotPolicy(long entries, long bytes, int jitterPercent) {

  /** How often (in applied entries) Ratis asks the state machine whether a snapshot is due. */
  public static final int RATIS_CHECK_ENTRIES = 16;

  public SnapshotPolicy {
    if (entries < 1 || bytes < 1) {
      throw new IllegalArgumentException("entries and bytes must be positive: " + entries + ", "
          + bytes);
    }
    if (jitterPercent < 0 || jitterPercent > 90) {
      throw new IllegalArgumentException("jitterPercent must be in [0, 90], got " + jitterPercent);
    }
  }

  /** The thresholds for one group's next snapshot. */
  public Threshold draw(RandomGenerator random) {
    double keep = 1.0 - jitterPercent / 100.0 * random.nextDouble();
    return new Threshold(Math.max(1, (long) (entries * keep)), Math.max(1, (long) (bytes * keep)));
  }

  /** One snapshot's thresholds. */
  public record Threshold(long entries, long bytes) {
    /** Whether a snapshot is due after this many entries and bytes applied since the last one. */
    public boolean due(long entriesSince, long bytesSince) {
      return entriesSince >= entries || bytesSince >= bytes;
    }
  }
}
