package dev.runnel.server.common;

/**
 * Position of a replicated log entry (Raft term and index), kept free of Ratis types so storage and
 * domain code do not depend on the consensus library.
 */
public record AppliedIndex(long term, long index) implements Comparable<AppliedIndex> {

  /** Nothing applied yet. Ratis log indexes start at 0, so "before the first entry" is -1. */
  public static final AppliedIndex INITIAL = new AppliedIndex(0, -1);

  @Override
  public int compareTo(AppliedIndex o) {
    return Long.compare(index, o.index);
  }

  @Override
  public String toString() {
    return "(t:" + term + ", i:" + index + ")";
  }
}
