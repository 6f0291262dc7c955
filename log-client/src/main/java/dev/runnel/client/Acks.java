package dev.runnel.client;

import java.util.Locale;

/**
 * How many replicas must hold a write before the broker acknowledges it. There is no "leader only"
 * level: a Raft leader cannot make a write durable by itself, so the cheapest acknowledged level is
 * {@link #MAJORITY}.
 */
public enum Acks {
  /** Fire and forget: the broker answers once it accepted the request; offsets are not reported. */
  NONE,
  /** The default: committed by a majority of replicas, each fsynced (a Raft commit). */
  MAJORITY,
  /** Committed, and also appended on every replica of the partition. */
  ALL;

  /**
   * Parses the {@code acks} setting. Accepts {@code all}/{@code -1}, {@code majority}/{@code 1} and
   * {@code none}/{@code 0}; the numeric forms exist so Kafka configurations keep working
   * ({@code acks=1} maps to MAJORITY, because a leader-only ack is not offered).
   */
  public static Acks parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "all":
      case "-1":
        return ALL;
      case "majority":
      case "1":
        return MAJORITY;
      case "none":
      case "0":
        return NONE;
      default:
        throw new IllegalArgumentException("acks must be one of all, majority, none (or -1, 1, 0), got '"
            + s + "'");
    }
  }
}
