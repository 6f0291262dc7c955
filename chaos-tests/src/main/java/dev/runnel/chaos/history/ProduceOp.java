package dev.runnel.chaos.history;

import java.util.Objects;

/**
 * One send by a producer: what was written and what the producer was told.
 *
 * @param producer the producer that sent it
 * @param topic topic written to
 * @param key the record key, or null for unkeyed records
 * @param value a value unique across the whole run
 * @param invokeNanos when the send was called (run clock)
 * @param completeNanos when its outcome was known (run clock)
 * @param outcome OK (acknowledged), FAIL (definitely not written) or UNKNOWN (may have been written)
 * @param partition the partition it was acknowledged in, or -1
 * @param offset the acknowledged offset, or -1
 * @param error the error message for FAIL and UNKNOWN, else null
 */
public record ProduceOp(String producer, String topic, String key, String value, long invokeNanos,
    long completeNanos, Outcome outcome, int partition, long offset, String error) {

  public ProduceOp {
    // Checked here so that a damaged history line fails when read, naming its line, not in a check.
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(outcome, "outcome");
  }

  public enum Outcome { OK, FAIL, UNKNOWN }
}
