package dev.runnel.chaos.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * One poll by a consumer, or a seek (which resets where that consumer's offsets may continue from).
 * A seek names a partition number only and so applies to that partition of every topic.
 *
 * @param consumer the consumer
 * @param nanos when the poll returned (run clock)
 * @param records the records returned, in the order returned
 * @param seekPartition for a seek: the partition sought, else -1
 * @param seekOffset for a seek: the new position, else -1
 */
public record PollOp(String consumer, long nanos, List<Polled> records, int seekPartition, long seekOffset) {

  public PollOp {
    Objects.requireNonNull(consumer, "consumer");
    records = List.copyOf(Objects.requireNonNull(records, "records"));
  }

  /** A record as a consumer saw it. */
  public record Polled(String topic, int partition, long offset, String key, String value) {
    public Polled {
      Objects.requireNonNull(topic, "topic");
    }
  }

  public static PollOp poll(String consumer, long nanos, List<Polled> records) {
    return new PollOp(consumer, nanos, records, -1, -1);
  }

  public static PollOp seek(String consumer, long nanos, int partition, long offset) {
    return new PollOp(consumer, nanos, List.of(), partition, offset);
  }

  @JsonIgnore
  public boolean isSeek() {
    return seekPartition >= 0;
  }
}
