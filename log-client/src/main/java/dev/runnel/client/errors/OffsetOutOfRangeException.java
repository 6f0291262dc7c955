package dev.runnel.client.errors;

import dev.runnel.client.TopicPartition;

/**
 * A fetch asked for an offset outside the partition's stored range {@code [logStartOffset,
 * logEndOffset]}, and the consumer's {@code auto.offset.reset} is {@code none}. The consumer's position
 * stays where it was; {@code seek} to a valid offset (or {@code seekToBeginning}) to continue.
 */
public class OffsetOutOfRangeException extends ApiException {
  private static final long serialVersionUID = 1L;
  private final transient TopicPartition partition;
  private final long offset;
  private final long logStartOffset;
  private final long logEndOffset;

  /** Used when a broker reports the condition without the partition context. */
  public OffsetOutOfRangeException(String message) {
    this(message, null, -1, -1, -1);
  }

  public OffsetOutOfRangeException(String message, TopicPartition partition, long offset,
      long logStartOffset, long logEndOffset) {
    super(message);
    this.partition = partition;
    this.offset = offset;
    this.logStartOffset = logStartOffset;
    this.logEndOffset = logEndOffset;
  }

  /** Builds the exception with a message naming the partition, the offset and the valid range. */
  public static OffsetOutOfRangeException of(TopicPartition partition, long offset,
      long logStartOffset, long logEndOffset) {
    return new OffsetOutOfRangeException("offset " + offset + " is out of range for " + partition
        + ": valid offsets are [" + logStartOffset + ", " + logEndOffset + "]; seek to a valid offset",
        partition, offset, logStartOffset, logEndOffset);
  }

  /** The partition, or null when the broker did not say. */
  public TopicPartition partition() {
    return partition;
  }

  /** The offset that was requested, or -1 when unknown. */
  public long offset() {
    return offset;
  }

  /** First offset still stored, or -1 when unknown. */
  public long logStartOffset() {
    return logStartOffset;
  }

  /** The offset the next record will get, or -1 when unknown. */
  public long logEndOffset() {
    return logEndOffset;
  }
}
