package dev.runnel.server;

import dev.runnel.server.partition.ReplicaSuspension;
import dev.runnel.server.storage.DiskSpaceGuard;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's partition replicas off a full disk: runs the {@link DiskSpaceGuard} on a
 * schedule and on every write that failed, stops the replicas (files kept) while the data directory
 * is low on space, and restarts them once there is room again. Any other write failure stops just
 * that replica, until the broker restarts: like a Kafka log directory gone offline, it needs an
 * operator, and retrying it in a loop would only fill the log.
 */
final class DiskWatch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskWatch.class);

  private final int brokerId;
  private final String dataDir;
  private final DiskSpaceGuard guard;
  private final ReplicaSuspension replicas;
  private final Consumer<String> problemSink;
  private final Executor executor;
  private final Set<String> failedForGood = ConcurrentHashMap.newKeySet();
  private boolean probeFailing;

  /**
   * @param problemSink told why the replicas are out of service, or "" once they are back
   * @param executor runs work reported from Ratis threads, which must not block
   */
  DiskWatch(int brokerId, String dataDir, DiskSpaceGuard guard, ReplicaSuspension replicas,
      Consumer<String> problemSink, Executor executor) {
    this.brokerId = brokerId;
    this.dataDir = dataDir;
    this.guard = guard;
    this.replicas = replicas;
    this.problemSink = problemSink;
    this.executor = executor;
  }

  /** One scheduled round: probe, then stop or restart replicas as the state requires. */
  @Override
  public synchronized void run() {
    try {
      round();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log it and try on the next round.
      LOG.warn("Broker {}: checking the data directory's free space failed", brokerId, e);
    }
  }

  private void round() {
    try {
      guard.check().ifPresent(this::changed);
      probeFailing = false;
    } catch (UncheckedIOException | SecurityException e) {
      if (!probeFailing) {
        LOG.warn("Broker {}: cannot read the free space of {}: {}", brokerId, dataDir, e.toString());
      }
      probeFailing = true;
    }
    if (guard.isLow()) {
      int stopped = replicas.stopAll();
      if (stopped > 0) {
        LOG.warn("Broker {}: stopped {} more partition replicas (data directory still low on space)",
            brokerId, stopped);
      }
    } else if (replicas.stoppedCount() > 0) {
      restart();
    }
  }

  /** A replica's write failed; called on Ratis threads. */
  void storageFailed(String raftGroupId, String where, Throwable failure) {
    try {
      executor.execute(() -> {
        try {
          handleFailure(raftGroupId, where, failure);
        } catch (RuntimeException e) {
          LOG.warn("Broker {}: handling a failed write of group {} failed", brokerId, raftGroupId, e);
        }
      });
    } catch (RejectedExecutionException e) {
      // The broker is stopping: its replicas close anyway.
    }
  }

  private synchronized void handleFailure(String raftGroupId, String where, Throwable failure) {
    if (DiskSpaceGuard.isNoSpace(failure)) {
      guard.noSpace("group " + raftGroupId + ", " + where).ifPresent(this::changed);
      replicas.stopAll();
      return;
    }
    if (failedForGood.add(raftGroupId)) {
      LOG.error("Broker {}: writing the replica of partition group {} failed ({}): {}. The replica is"
          + " stopped with its files kept, and the other replicas carry on; check the disk under {}"
          + " and restart the broker to bring it back.", brokerId, raftGroupId, where, failure.toString(),
          dataDir);
      replicas.stopForGood(RaftGroupId.valueOf(UUID.fromString(raftGroupId)));
    }
  }

  private void changed(DiskSpaceGuard.Change c) {
    if (c.low()) {
      problemSink.accept("data directory " + dataDir + " is out of space: " + c.reason());
      LOG.error("Broker {}: data directory {} is out of space: {}. Stopping its partition replicas (files"
          + " kept; the other replicas of each partition carry on); they restart once there is room."
          + " Free space: delete topics, lower retention, or grow the volume.", brokerId, dataDir,
          c.reason());
      LOG.info("Broker {}: stopped {} partition replicas", brokerId, replicas.stopAll());
    } else {
      LOG.warn("Broker {}: data directory {} has {}; restarting its partition replicas", brokerId,
          dataDir, c.reason());
      restart();
      problemSink.accept("");
    }
  }

  private void restart() {
    int restarted = replicas.restartAll();
    if (restarted > 0) {
      LOG.info("Broker {}: restarted {} partition replicas; {} still stopped", brokerId, restarted,
          replicas.stoppedCount());
    }
  }
}
