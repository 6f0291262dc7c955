package dev.runnel.server.partition;

import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.raft.RaftHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes this broker's partition replicas out of service and back, keeping their files: for a data
 * directory that ran out of space. A stopped replica neither votes nor takes entries, so its
 * group carries on with the others (electing a new leader if it led); once restarted, it recovers
 * from its files and the leader catches it up, as after a broker restart. The metadata member is
 * never stopped: it needs little space, and the cluster must stay manageable (a topic deleted to
 * free space is removed through it).
 */
public final class ReplicaSuspension {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSuspension.class);
  private static final long REOPEN_TIMEOUT_S = 60;
  private static final long STEP_DOWN_TIMEOUT_MS = 5_000;
  private static final long RETRY_MS = 10_000;

  private final Supplier<RaftHost> host;
  private final Path raftDir;
  private final ReplicaCheck check;
  private final ReplicaDamage damage;
  private final LongSupplier clockMs;
  /** Replicas whose restart failed, with the earliest time to try again. */
  private final Map<RaftGroupId, Long> retryAt = new ConcurrentHashMap<>();
  private final Executor closer;
  /** Closes a member Ratis dropped after a failed start ({@link LocalReplicas#closeIfAbandoned}). */
  private final Predicate<RaftGroupId> abandoned;
  /** Stopped here and not restarted yet, with the group as each knew it. */
  private final Map<RaftGroupId, RaftGroup> stopped = new ConcurrentHashMap<>();
  /** Dropped from the Ratis server on the way to a restart that has not succeeded yet. */
  private final Set<RaftGroupId> dropped = ConcurrentHashMap.newKeySet();
  /** Stopped after a failure other than a full disk: left alone until the broker restarts. */
  private final Set<RaftGroupId> forGood = ConcurrentHashMap.newKeySet();

  /**
   * @param raftDir where the replicas' directories are
   * @param check run on a replica that fails to restart: damage found there is handed to
   *     {@code damage}, which quarantines the directory and has the replica rebuilt
   * @param closer closes replicas in parallel; {@link #stop} never throws
   */
  public ReplicaSuspension(Supplier<RaftHost> host, Path raftDir, ReplicaCheck check,
      ReplicaDamage damage, LongSupplier clockMs, Executor closer,
      Predicate<RaftGroupId> closeAbandoned) {
    this.host = host;
    this.abandoned = closeAbandoned;
    this.raftDir = raftDir;
    this.check = check;
    this.damage = damage;
    this.clockMs = clockMs;
    this.closer = closer;
  }

  /**
   * Stops every running partition replica (also ones added since the last call); returns how many
   * were stopped by this call.
   */
  public int stopAll() {
    // In parallel: closing a member waits for its state machine to stop (seen: ~1 s each on a full
    // disk), and every write that reaches a member still open fails meanwhile.
    List<CompletableFuture<Boolean>> closing = new ArrayList<>();
    for (RaftGroupId gid : host.get().server().getGroupIds()) {
      if (!GroupIds.isMetadata(gid)) {
        closing.add(CompletableFuture.supplyAsync(() -> stop(gid), closer));
      }
    }
    return (int) closing.stream().filter(CompletableFuture::join).count();
  }

  /**
   * Stops one replica, to be restarted by {@link #restartAll}; false if it was not running here. A
   * replica Ratis closed itself (its apply failed on the full disk) is recorded for the restart too.
   */
  public boolean stop(RaftGroupId gid) {
    if (forGood.contains(gid) || stopped.containsKey(gid)) {
      return false;
    }
    Optional<RaftGroup> closedNow = close(gid);
    Optional<RaftGroup> group = closedNow.or(() -> host.get().division(gid).map(d -> d.getGroup()));
    group.ifPresent(g -> stopped.put(gid, g));
    return closedNow.isPresent();
  }

  /** Stops one replica until the broker restarts ({@link #restartAll} leaves it alone). */
  public void stopForGood(RaftGroupId gid) {
    forGood.add(gid);
    stopped.remove(gid);
    close(gid);
  }

  private Optional<RaftGroup> close(RaftGroupId gid) {
    try {
      return host.get().closeMember(gid);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not stop the replica of group {}: {}", gid, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Restarts the replicas stopped here; returns how many restarted. One that is running again or
   * was removed meanwhile (e.g. its topic was deleted) is forgotten; one that fails to restart
   * stays stopped and is tried again on the next call. Calls are serialised: a second caller's
   * restart of the same group would fail against the first's member starting and, finding it
   * running, forget the group (CI: a test's own call raced the disk watch's periodic one, and a
   * failed start was taken for a restart; the disk watch alone calls under its own lock).
   */
  public synchronized int restartAll() {
    int n = 0;
    RaftHost h = host.get();
    for (Map.Entry<RaftGroupId, RaftGroup> e : Map.copyOf(stopped).entrySet()) {
      RaftGroupId gid = e.getKey();
      boolean hosted = h.division(gid).isPresent();
      if ((hosted && !h.isClosedMember(gid)) || (!hosted && !dropped.contains(gid))) {
        forget(gid);
        continue;
      }
      if (clockMs.getAsLong() < retryAt.getOrDefault(gid, Long.MIN_VALUE)) {
        continue;
      }
      try {
        if (hosted) {
          h.dropMember(gid).get(REOPEN_TIMEOUT_S, TimeUnit.SECONDS);
          dropped.add(gid);
        }
        h.openMember(e.getValue()).get(REOPEN_TIMEOUT_S, TimeUnit.SECONDS);
        forget(gid);
        n++;
        stepDownLeader(h, e.getValue());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return n;
      } catch (ExecutionException | TimeoutException | RuntimeException ex) {
        restartFailed(gid, ex);
      }
    }
    return n;
  }

  private void forget(RaftGroupId gid) {
    stopped.remove(gid);
    dropped.remove(gid);
    retryAt.remove(gid);
  }

  /**
   * A replica that does not open again has its vote file checked: damage there (seen: Ratis left it
   * empty after a write on the full disk) takes it out of service for a rebuild; anything else is
   * tried again later, and a replica that never opens again stays stopped until the broker
   * restarts (the start-up check then looks at all of its files).
   */
  private void restartFailed(RaftGroupId gid, Exception failure) {
    if (host.get().division(gid).isPresent() && !host.get().isClosedMember(gid)) {
      forget(gid);  // running after all (it was added back by someone else): nothing to restart
      return;
    }
    if (abandoned.test(gid)) {
      // The failed start left its member open outside Ratis's server; closed now, the next try
      // can lock the group's storage again.
      LOG.warn("Closed the half-started replica of group {} that held its files", gid);
    }
    Path dir = raftDir.resolve(gid.getUuid().toString());
    // Only the vote file, which Ratis reads before it opens anything else: a failed start can leave
    // the store open (seen in CI: its lock still held), so opening it here proves nothing.
    Optional<String> found = dropped.contains(gid) && host.get().division(gid).isEmpty()
        && Files.isDirectory(dir) ? check.metadataDamage(dir) : Optional.empty();
    if (found.isPresent()) {
      try {
        damage.foundAtStart(dir, found.get());
        forget(gid);
        return;
      } catch (IOException e) {
        LOG.warn("Could not quarantine the damaged replica of group {}: {}", gid, e.toString());
      }
    }
    retryAt.put(gid, clockMs.getAsLong() + RETRY_MS);
    LOG.warn("Could not restart the replica of group {}; trying again in {} s: {}", gid,
        RETRY_MS / 1000, failure.toString());
  }

  /**
   * Seen in DiskFullTest (about one run in six): after this replica's log writes failed, its
   * leader's appender sent it only heartbeats, which it answered with "inconsistent, next index
   * 133", and never the entries from 133 on, so the replica stayed behind for good. A new term starts the
   * leader's appenders afresh; an election per restarted group is a small price after a full disk.
   */
  private static void stepDownLeader(RaftHost h, RaftGroup group) {
    try {
      h.stepDownLeader(group, STEP_DOWN_TIMEOUT_MS);
    } catch (IOException e) {
      LOG.warn("Restarted the replica of group {}, but its leader did not step down ({}); it may be"
          + " slow to catch up", group.getGroupId(), e.getMessage());
    }
  }

  /** The ids of the groups whose replica is stopped here, for the controller (heartbeats). */
  public Set<String> stoppedGroupIds() {
    Set<String> ids = new HashSet<>();
    stopped.keySet().forEach(g -> ids.add(g.getUuid().toString()));
    return ids;
  }

  /** Replicas stopped here and not yet restarted. */
  public int stoppedCount() {
    return stopped.size();
  }
}
