package dev.runnel.server.raft;

import dev.runnel.server.partition.StalledFollowers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, for every Raft group this broker leads, where each follower stands, and has the leader
 * step down when {@link StalledFollowers} finds one that stopped catching up. The Ratis side of the
 * watch: run it periodically; the step-down itself runs on {@code stepDowns}, since it waits for
 * the group.
 */
public final class FollowerWatch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerWatch.class);
  private static final long STEP_DOWN_TIMEOUT_MS = 3_000;

  private final Supplier<RaftHost> host;
  private final StalledFollowers stalled;
  private final IntPredicate brokerAlive;
  private final LongSupplier clockMs;
  private final Executor stepDowns;
  private final Counter stepDownCount;

  public FollowerWatch(Supplier<RaftHost> host, StalledFollowers stalled, IntPredicate brokerAlive,
      LongSupplier clockMs, Executor stepDowns, MeterRegistry meters) {
    this.host = host;
    this.stalled = stalled;
    this.brokerAlive = brokerAlive;
    this.clockMs = clockMs;
    this.stepDowns = stepDowns;
    this.stepDownCount = Counter.builder("runnel.raft.stalled.follower.stepdowns")
        .description("Times a group leader on this broker stepped down because a live follower had"
            + " stopped catching up (raft.follower.stall.timeout.ms)")
        .register(meters);
  }

  @Override
  public void run() {
    RaftHost h = host.get();
    if (h == null) {
      return;
    }
    long now = clockMs.getAsLong();
    Set<String> led = new HashSet<>();
    try {
      for (RaftGroupId gid : h.server().getGroupIds()) {
        h.division(gid).ifPresent(d -> check(h, d, now, led));
      }
    } catch (RuntimeException e) {
      // A group closing under us; the next pass sees the new state.
      LOG.debug("follower watch pass failed", e);
    } finally {
      stalled.retainLed(led, now);
    }
  }

  private void check(RaftHost h, RaftServer.Division d, long now, Set<String> led) {
    DivisionInfo info = d.getInfo();
    if (!info.isLeader() || !info.isLeaderReady()) {
      return;
    }
    String gid = d.getGroup().getGroupId().getUuid().toString();
    led.add(gid);
    Optional<List<StalledFollowers.Follower>> followers = followers(info);
    if (followers.isEmpty()) {
      return;
    }
    List<Integer> stuck = stalled.observe(gid, d.getRaftLog().getLastCommittedIndex(),
        d.getRaftLog().getStartIndex(), followers.get(), now);
    if (stuck.isEmpty()) {
      return;
    }
    LOG.warn("Group {}: the replicas on brokers {} answer but have not caught up; stepping down so"
        + " that a new term starts with fresh log appenders", gid, stuck);
    stepDownCount.increment();
    stepDowns.execute(() -> {
      try {
        h.stepDownLeader(d.getGroup(), STEP_DOWN_TIMEOUT_MS);
      } catch (IOException e) {
        LOG.warn("Group {}: {}", gid, e.getMessage());
      }
    });
  }

  /**
   * The followers as the leader sees them; empty while the configuration changes (Ratis lists
   * followers and their indices in separate calls, in the order of its log appenders).
   */
  private Optional<List<StalledFollowers.Follower>> followers(DivisionInfo info) {
    List<ServerRpcProto> rpc = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] match = info.getFollowerMatchIndices();
    long[] next = info.getFollowerNextIndices();
    if (rpc.size() != match.length || rpc.size() != next.length) {
      return Optional.empty();
    }
    List<StalledFollowers.Follower> out = new ArrayList<>(rpc.size());
    for (int i = 0; i < rpc.size(); i++) {
      int broker = GroupIds.brokerId(RaftPeerId.valueOf(rpc.get(i).getId().getId()));
      out.add(new StalledFollowers.Follower(broker, match[i], next[i],
          rpc.get(i).getLastRpcElapsedTimeMs(), brokerAlive.test(broker)));
    }
    return Optional.of(out);
  }
}
