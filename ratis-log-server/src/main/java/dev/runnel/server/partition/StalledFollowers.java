package dev.runnel.server.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides when a Raft group's leader should step down because a follower stopped catching up
 * although it is alive and answering. Ratis 3.3's log appender can keep a stale view of a follower
 * whose log lost its tail (reliability.md, finding of 2026-11-27): it keeps the follower's next
 * index past what the follower holds, never sends the missing entries again, and the follower stays
 * behind for good while answering every heartbeat. A new term starts with fresh appenders, which
 * ask the follower where its log ends.
 *
 * <p>A follower counts as stalled when, for {@code stallMs}: its match index has not moved and is
 * below the group's commit index (but it has matched something in this term), the leader feeds it
 * from its log (not by a snapshot install, which can take long and has its own progress), its
 * broker is alive in the cluster metadata, and it answered the leader's last RPC recently. A follower that is down, or whose replica is stopped (a
 * full disk), does not answer, so it never makes its leader step down. After a step-down the group
 * is left alone for {@code cooldownMs}, so a cause that a new term does not cure costs one election
 * per cooldown on this broker, not one per check.
 *
 * <p>Bookkeeping only: the caller feeds what the leader sees and acts on the answer; the clock is
 * the caller's.
 */
public final class StalledFollowers {
  /** What a group's leader knows of one follower. */
  public record Follower(int brokerId, long matchIndex, long nextIndex, long lastReplyAgeMs,
      boolean brokerAlive) {}

  private record Progress(long matchIndex, long sinceMs) {}

  private final long stallMs;
  private final long cooldownMs;
  /** By group id, then follower broker id: the match index last seen and since when it held. */
  private final Map<String, Map<Integer, Progress>> progress = new HashMap<>();
  private final Map<String, Long> lastStepDownMs = new HashMap<>();

  /**
   * @param stallMs how long a live follower may make no progress; 0 turns the watch off
   * @param cooldownMs the least time between two step-downs of one group by this broker
   */
  public StalledFollowers(long stallMs, long cooldownMs) {
    if (stallMs < 0 || cooldownMs < 0) {
      throw new IllegalArgumentException("stallMs and cooldownMs must be >= 0");
    }
    this.stallMs = stallMs;
    this.cooldownMs = cooldownMs;
  }

  /**
   * One look at a group this broker leads.
   *
   * @param commitIndex the group's commit index on the leader
   * @param logStartIndex the first index the leader's log still holds
   * @return the brokers whose replica stalled, when the leader should step down now; else empty
   */
  public List<Integer> observe(String groupId, long commitIndex, long logStartIndex,
      List<Follower> followers, long nowMs) {
    if (stallMs == 0) {
      return List.of();
    }
    Map<Integer, Progress> seen = progress.computeIfAbsent(groupId, g -> new HashMap<>());
    seen.keySet().retainAll(followers.stream().map(Follower::brokerId).toList());
    List<Integer> stalled = new ArrayList<>();
    for (Follower f : followers) {
      // A match index below 0: the follower has not matched anything in this term yet (a new
      // leader, or a member still starting), which is not what this watch is for.
      boolean candidate = f.matchIndex() >= 0 && f.matchIndex() < commitIndex
          && f.nextIndex() >= logStartIndex
          && f.brokerAlive() && f.lastReplyAgeMs() < stallMs;
      if (!candidate) {
        // Caught up, or a state in which waiting is right (down, silent, sent a snapshot): the
        // clock starts when the follower is next seen behind and answering.
        seen.remove(f.brokerId());
        continue;
      }
      Progress p = seen.get(f.brokerId());
      if (p == null || p.matchIndex() != f.matchIndex()) {
        seen.put(f.brokerId(), new Progress(f.matchIndex(), nowMs));
      } else if (nowMs - p.sinceMs() >= stallMs) {
        stalled.add(f.brokerId());
      }
    }
    if (stalled.isEmpty()) {
      return List.of();
    }
    Long last = lastStepDownMs.get(groupId);
    if (last != null && nowMs - last < cooldownMs) {
      return List.of();
    }
    lastStepDownMs.put(groupId, nowMs);
    progress.remove(groupId);
    return stalled;
  }

  /**
   * Forgets the progress of groups this broker no longer leads, and cooldowns that have ended (a
   * group that comes back to this broker keeps its cooldown until then).
   */
  public void retainLed(Set<String> ledGroupIds, long nowMs) {
    progress.keySet().retainAll(ledGroupIds);
    lastStepDownMs.values().removeIf(t -> nowMs - t >= cooldownMs);
  }
}
