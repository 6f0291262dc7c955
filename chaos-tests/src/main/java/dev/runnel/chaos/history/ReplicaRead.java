package dev.runnel.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * Everything one replica of a partition holds, read from its log start after the faults healed.
 *
 * @param topic the topic
 * @param partition the partition
 * @param broker the broker holding this replica
 * @param logStartOffset the first offset still stored (retention may have trimmed below it)
 * @param records every record from the log start, in offset order
 * @param digest a digest of the stored batch bytes and offsets, equal iff byte-identical
 * @param error why the replica could not be read, or null
 */
public record ReplicaRead(String topic, int partition, int broker, long logStartOffset,
    List<Stored> records, String digest, String error) {

  public ReplicaRead {
    Objects.requireNonNull(topic, "topic");
    records = List.copyOf(Objects.requireNonNull(records, "records"));
  }

  /** A stored record. */
  public record Stored(long offset, String key, String value) {}
}
