package dev.runnel.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.server.partition.StalledFollowers.Follower;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StalledFollowersTest {
  private static final long STALL = 30_000;
  private static final long COOLDOWN = 300_000;
  private final StalledFollowers watch = new StalledFollowers(STALL, COOLDOWN);

  private static Follower answering(int broker, long match) {
    return new Follower(broker, match, match + 1, 500, true);
  }

  private static Follower caughtUp(int broker, long index) {
    return new Follower(broker, index, index + 1, 100, true);
  }

  /** Feeds the same view every 5 s from {@code fromMs} to {@code toMs}; returns the last answer. */
  private List<Integer> hold(String group, long commit, List<Follower> followers, long fromMs, long toMs) {
    List<Integer> last = List.of();
    for (long t = fromMs; t <= toMs; t += 5_000) {
      last = watch.observe(group, commit, 0, followers, t);
      if (!last.isEmpty()) {
        return last;
      }
    }
    return last;
  }

  @Test
  void aLiveFollowerThatStopsCatchingUpMakesTheLeaderStepDownAfterTheStallTime() {
    List<Follower> view = List.of(caughtUp(1, 500), answering(2, 120));
    assertEquals(List.of(), hold("g", 500, view, 0, STALL - 5_000), "not before the stall time");
    assertEquals(List.of(2), watch.observe("g", 500, 0, view, STALL), "after it");
  }

  @Test
  void aFollowerThatMovesIsNotStalledHoweverFarBehind() {
    for (long t = 0; t <= 10 * STALL; t += 5_000) {
      List<Follower> view = List.of(caughtUp(1, 100_000), answering(2, t / 1000));
      assertEquals(List.of(), watch.observe("g", 100_000, 0, view, t), "at " + t);
    }
  }

  @Test
  void aFollowerThatHoldsTheCommitIndexIsNotStalledWhenTheGroupIsIdle() {
    List<Follower> view = List.of(caughtUp(1, 500), caughtUp(2, 500));
    assertEquals(List.of(), hold("g", 500, view, 0, 10 * STALL));
  }

  @Test
  void aFollowerThatIsDownSilentBeingSentASnapshotOrNotMatchedYetNeverCounts() {
    Follower deadBroker = new Follower(1, 120, 121, 500, false);
    Follower silent = new Follower(2, 120, 121, STALL, true);
    Follower snapshot = new Follower(3, 120, 121, 500, true);
    Follower notMatchedYet = new Follower(4, -1, 121, 500, true);
    // The leader's log starts at 200, past the followers' next index: they need a snapshot.
    for (long t = 0; t <= 10 * STALL; t += 5_000) {
      assertEquals(List.of(), watch.observe("g", 500, 200, List.of(snapshot), t), "snapshot at " + t);
    }
    assertEquals(List.of(), hold("g", 500, List.of(deadBroker, silent, notMatchedYet), 0, 10 * STALL));
  }

  @Test
  void theStallClockStartsWhenTheFollowerComesBackNotWhenItWentQuiet() {
    Follower down = new Follower(2, 120, 121, 60_000, false);
    assertEquals(List.of(), hold("g", 500, List.of(down), 0, 5 * STALL));
    long back = 5 * STALL + 5_000;
    assertEquals(List.of(), watch.observe("g", 500, 0, List.of(answering(2, 120)), back),
        "back, and only now counted");
    assertEquals(List.of(), hold("g", 500, List.of(answering(2, 120)), back, back + STALL - 5_000));
    assertEquals(List.of(2), watch.observe("g", 500, 0, List.of(answering(2, 120)), back + STALL));
  }

  @Test
  void afterAStepDownTheGroupIsLeftAloneForTheCooldown() {
    List<Follower> view = List.of(answering(2, 120));
    assertEquals(List.of(2), hold("g", 500, view, 0, STALL));
    // Led again at once (say a re-election), still stalled: no second step-down in the cooldown.
    assertEquals(List.of(), hold("g", 500, view, STALL + 5_000, COOLDOWN - 5_000));
    assertEquals(List.of(2), hold("g", 500, view, COOLDOWN, COOLDOWN + STALL));
    // Other groups are not held back by it.
    assertEquals(List.of(2), hold("h", 500, view, COOLDOWN, COOLDOWN + STALL));
  }

  @Test
  void aGroupNoLongerLedStartsOverAndItsEndedCooldownIsForgotten() {
    List<Follower> view = List.of(answering(2, 120));
    assertEquals(List.of(), hold("g", 500, view, 0, STALL - 5_000));
    watch.retainLed(Set.of(), STALL - 5_000);
    assertEquals(List.of(), watch.observe("g", 500, 0, view, STALL), "progress was forgotten");
    assertEquals(List.of(2), watch.observe("g", 500, 0, view, 2 * STALL));
  }

  @Test
  void zeroTurnsTheWatchOffAndNegativeTimesAreRefused() {
    StalledFollowers off = new StalledFollowers(0, 0);
    for (long t = 0; t <= 10 * STALL; t += 5_000) {
      assertEquals(List.of(), off.observe("g", 500, 0, List.of(answering(2, 120)), t));
    }
    assertThrows(IllegalArgumentException.class, () -> new StalledFollowers(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new StalledFollowers(0, -1));
  }
}
