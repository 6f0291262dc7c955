package dev.runnel.client.errors;

import dev.runnel.client.TopicPartition;

/**
 * A fetched record's key or value could not be deserialized (a "poison" record). The consumer's
 * position stays at the record, so every later {@code poll} fails the same way until the application
 * skips it with {@code consumer.seek(e.topicPartition(), e.offset() + 1)}.
 */
public class RecordDeserializationException extends SerializationException {
  private static final long serialVersionUID = 1L;
  private final transient TopicPartition partition;
  private final long offset;

  public RecordDeserializationException(TopicPartition partition, long offset, String what,
      Throwable cause) {
    super("could not deserialize the " + what + " of the record at offset " + offset + " of "
        + partition + " (" + cause.getMessage() + "); call seek(" + partition + ", " + (offset + 1)
        + ") to skip it", cause);
    this.partition = partition;
    this.offset = offset;
  }

  public TopicPartition topicPartition() {
    return partition;
  }

  public long offset() {
    return offset;
  }
}
