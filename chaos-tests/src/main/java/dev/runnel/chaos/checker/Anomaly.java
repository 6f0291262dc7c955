package dev.runnel.chaos.checker;

/** One violation of an invariant, with a message naming the records involved. */
public record Anomaly(Type type, String message) {

  public enum Type {
    /** An acknowledged write is absent after healing. */
    LOST_WRITE,
    /** An acknowledged offset holds another value. */
    WRONG_OFFSET,
    /** A value stored at more than one offset (idempotent producers must never duplicate). */
    DUPLICATE,
    /** A write with an unknown outcome stored more than once. */
    UNKNOWN_TWICE,
    /** A write the producer was told definitely failed is stored. */
    FAILED_PRESENT,
    /** One offset seen with two values: across replicas, across polls, or poll versus log. */
    INCONSISTENT_OFFSET,
    /** Offsets in a replica are not dense from its log start. */
    GAP,
    /** A consumer's offsets for a partition went backwards or repeated without a seek. */
    NON_MONOTONIC_POLL,
    /** Two writes of one producer and key, the second sent after the first was acknowledged, stored out of order. */
    KEY_ORDER,
    /** The replicas of a partition are not identical after healing. */
    DIVERGENT_REPLICAS,
    /** The history cannot support a verdict (no final reads, unreadable replicas, partitions never read). */
    INCOMPLETE_HISTORY
  }

  @Override
  public String toString() {
    return type + ": " + message;
  }
}
