package dev.runnel.chaos.history;

import java.util.Objects;

/**
 * A fault the nemesis injected or healed, with what followed it.
 *
 * @param nanos when (run clock)
 * @param kind e.g. kill, pause, isolate, split, truncate-log, flip-bit, transfer-storm, heal
 * @param target what it hit, e.g. "broker 2" or "{0,1} | {2}"
 * @param description a readable account for the report
 * @param leaderAfterNanos for faults that remove a leader: time until every partition had a leader
 *     again, or -1 if not measured
 */
public record FaultEvent(long nanos, String kind, String target, String description, long leaderAfterNanos) {

  public FaultEvent {
    Objects.requireNonNull(kind, "kind");
  }
}
