package dev.runnel.server.common;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one partition of one topic incarnation. The topic id (not its name) is used so that a
 * topic deleted and re-created under the same name never shares data with the old one.
 */
public record PartitionId(UUID topicId, int partition) implements Comparable<PartitionId> {

  public PartitionId {
    Objects.requireNonNull(topicId, "topicId");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0: " + partition);
    }
  }

  /** The 16-byte big-endian form used in commands and storage keys. */
  public static byte[] topicIdBytes(UUID id) {
    return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits()).array();
  }

  public static UUID topicIdFromBytes(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("topic id must be 16 bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new UUID(b.getLong(), b.getLong());
  }

  @Override
  public int compareTo(PartitionId o) {
    int c = topicId.compareTo(o.topicId);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return topicId + "-" + partition;
  }
}
