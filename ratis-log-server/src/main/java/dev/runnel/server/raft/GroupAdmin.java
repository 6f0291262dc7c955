package dev.runnel.server.raft;

import dev.runnel.proto.internal.BrokerRecord;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Manages Raft groups on other brokers (create, remove, list, move leadership) for the controller.
 * Group ids cross this boundary as strings so the controller's logic stays free of Ratis types.
 */
public final class GroupAdmin implements Closeable {
  private final RaftProperties props;
  /** Longest the caller waits for a configuration change before checking back later. */
  static final long SET_CONFIGURATION_WAIT_MS = 10_000;

  private final Map<Integer, RaftClient> clients = new ConcurrentHashMap<>();
  private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "runnel-group-admin");
    t.setDaemon(true);
    return t;
  });

  public GroupAdmin(RaftProperties props) {
    this.props = props;
  }

  /**
   * The Raft priority of a new group's preferred replica; the others have 0. A member refuses its
   * vote to a candidate of lower priority when their logs are equal, and Ratis fails an election
   * that a higher-priority member refused, so while the preferred replica answers, only it can win
   * the group's first election. A member that does not answer (not created yet, down) refuses
   * nothing, and the others elect a leader among themselves as before.
   */
  static final int PREFERRED_PRIORITY = 1;

  public static RaftPeer peer(BrokerRecord b) {
    return peer(b, 0);
  }

  private static RaftPeer peer(BrokerRecord b, int priority) {
    return RaftPeer.newBuilder().setId(GroupIds.peerId(b.getId()))
        .setAddress(b.getHost() + ":" + b.getRaftPort()).setPriority(priority).build();
  }

  public static RaftGroup group(String groupId, List<BrokerRecord> replicas) {
    return group(groupId, replicas, -1);
  }

  /** The group with {@code preferred} (a broker id, or -1 for none) at the higher priority. */
  private static RaftGroup group(String groupId, List<BrokerRecord> replicas, int preferred) {
    return RaftGroup.valueOf(RaftGroupId.valueOf(UUID.fromString(groupId)), replicas.stream()
        .map(r -> peer(r, r.getId() == preferred ? PREFERRED_PRIORITY : 0)).toList());
  }

  /** Group ids hosted by the broker. */
  public Set<String> list(BrokerRecord b) throws IOException {
    return io(() -> client(b).getGroupManagementApi(GroupIds.peerId(b.getId())).list().getGroupIds()
        .stream().map(g -> g.getUuid().toString()).collect(Collectors.toSet()));
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  /** Ratis reports unreachable peers as unchecked (shaded gRPC) exceptions; make them IOExceptions. */
  private static <T> T io(IoCall<T> c) throws IOException {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Creates the group's replica on the broker (formatting a new directory), with {@code preferred}
   * at {@link #PREFERRED_PRIORITY} so that it wins the first election; {@link #setConfiguration}
   * with the same members evens the priorities out later (Controller.evenPriorities says why).
   */
  public void add(BrokerRecord b, String groupId, List<BrokerRecord> replicas, int preferred)
      throws IOException {
    check(io(() -> client(b).getGroupManagementApi(GroupIds.peerId(b.getId()))
        .add(group(groupId, replicas, preferred), true)), "add group " + groupId + " on broker " + b.getId());
  }

  /**
   * Starts an empty member of the group on the broker, with no configuration of its own: it
   * neither votes nor campaigns until a leader adds it with {@link #setConfiguration}.
   */
  public void addEmpty(BrokerRecord b, String groupId) throws IOException {
    check(io(() -> client(b).getGroupManagementApi(GroupIds.peerId(b.getId()))
        .add(group(groupId, List.of()), true)), "add empty group " + groupId + " on broker " + b.getId());
  }

  /**
   * A member's view of its group's Raft configuration: its voting brokers, whether a change is
   * under way, and whether all members have the same priority (see {@link #add}).
   */
  public record Conf(Set<Integer> brokers, boolean changing, boolean evenPriorities) {}

  /** The group's configuration as the member on {@code b} sees it. */
  public Conf conf(BrokerRecord b, String groupId) throws IOException {
    GroupInfoReply info = io(() -> client(b).getGroupManagementApi(GroupIds.peerId(b.getId()))
        .info(RaftGroupId.valueOf(UUID.fromString(groupId))));
    check(info, "read configuration of " + groupId + " on broker " + b.getId());
    RaftConfigurationProto c = info.getConf().orElseThrow(
        () -> new IOException("broker " + b.getId() + " reports no configuration for " + groupId));
    Set<Integer> ids = c.getPeersList().stream()
        .map(p -> GroupIds.brokerId(RaftPeerId.valueOf(p.getId()))).collect(Collectors.toSet());
    boolean even = c.getPeersList().stream().mapToInt(p -> p.getPriority()).distinct().count() <= 1;
    return new Conf(ids, c.getOldPeersCount() > 0, even);
  }

  /**
   * Makes {@code members} the group's voting members, through its leader (found among
   * {@code contact}). Ratis first catches up members that are new, then commits the change; a
   * timeout leaves that under way.
   */
  public void setConfiguration(String groupId, List<BrokerRecord> contact, List<BrokerRecord> members)
      throws IOException {
    String what = "set configuration of " + groupId + " to brokers "
        + members.stream().map(BrokerRecord::getId).toList();
    RaftClient c = RaftClient.newBuilder().setProperties(props)
        .setRaftGroup(group(groupId, contact))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            3, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS))).build();
    // The leader answers only once new members have caught up, which can take long: the caller
    // (the controller's single thread) waits a bounded time and looks again on its next pass.
    Future<RaftClientReply> call = calls.submit(
        () -> io(() -> c.admin().setConfiguration(members.stream().map(GroupAdmin::peer).toList())));
    try {
      check(call.get(SET_CONFIGURATION_WAIT_MS, TimeUnit.MILLISECONDS), what);
    } catch (TimeoutException e) {
      throw new IOException(what + ": still in progress after " + SET_CONFIGURATION_WAIT_MS + " ms");
    } catch (ExecutionException e) {
      // Ratis's retry failure says only "failed for 3 attempts"; the reason is in its causes.
      throw new IOException(what + " failed: " + causes(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    } finally {
      call.cancel(true);
      closeQuietly(c);
    }
  }

  /** Removes the group's replica from the broker, deleting its directory. */
  public void remove(BrokerRecord b, String groupId) throws IOException {
    check(io(() -> client(b).getGroupManagementApi(GroupIds.peerId(b.getId()))
        .remove(RaftGroupId.valueOf(UUID.fromString(groupId)), true, false)),
        "remove group " + groupId + " from broker " + b.getId());
  }

  /** What a group's member answered a probe: whether it is closed, and the answer, for logs. */
  public record MemberProbe(boolean closed, String answer) {}

  /**
   * Whether the group's member on {@code b} exists but is closed: Ratis answers a read with
   * "not in [STARTING, RUNNING]" or, once the member's executors are shut down, rejects it. A
   * follower that runs answers a read with NotLeader instead.
   */
  public boolean isClosed(BrokerRecord b, String groupId) {
    return probe(b, groupId).closed();
  }

  /** {@link #isClosed} with the member's answer, so a repair that waits says what it waits on. */
  public MemberProbe probe(BrokerRecord b, String groupId) {
    try (RaftClient c = RaftClient.newBuilder().setProperties(props)
        .setRaftGroup(group(groupId, List.of(b))).setRetryPolicy(RetryPolicies.noRetry()).build()) {
      c.io().sendReadOnly(Message.EMPTY, GroupIds.peerId(b.getId()));
      return new MemberProbe(false, "answered a read");
    } catch (IOException | RuntimeException e) {
      StringBuilder answer = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ServerNotReadyException
            && String.valueOf(t.getMessage()).contains("CLOSED")) {
          return new MemberProbe(true, t.getMessage());
        }
        // What a closed member actually answers a read: its client executor is shut down before
        // the request reaches the state check (measured: ClosedMemberProbeTest). A merely busy
        // executor rejects as "Running", which does not count.
        if (t instanceof RejectedExecutionException && (String.valueOf(t.getMessage())
            .contains("Terminated") || String.valueOf(t.getMessage()).contains("Shutting down"))) {
          return new MemberProbe(true, "its executor is shut down: " + t.getMessage());
        }
        answer.append(answer.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName())
            .append(": ").append(t.getMessage());
      }
      return new MemberProbe(false, answer.toString());
    }
  }

  /** Asks the group to move leadership to {@code target}. */
  public void transferLeadership(String groupId, List<BrokerRecord> replicas, BrokerRecord target)
      throws IOException {
    try (RaftClient c = RaftClient.newBuilder().setProperties(props)
        .setRaftGroup(group(groupId, replicas))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            2, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build()) {
      check(io(() -> c.admin().transferLeadership(GroupIds.peerId(target.getId()), 2000)),
          "transfer leadership of " + groupId + " to broker " + target.getId());
    }
  }

  private RaftClient client(BrokerRecord b) {
    return clients.compute(b.getId(), (id, old) -> {
      if (old != null) {
        return old;
      }
      return RaftClient.newBuilder().setProperties(props)
          .setRaftGroup(RaftGroup.valueOf(RaftGroupId.randomId(), peer(b)))
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
              1, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build();
    });
  }

  /** Forgets the cached client, e.g. after the broker restarted on a new address. */
  public void forget(int brokerId) {
    RaftClient c = clients.remove(brokerId);
    if (c != null) {
      closeQuietly(c);
    }
  }

  /** The messages of a throwable and its causes, outermost first. */
  static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null && b.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
    }
    return b.toString();
  }

  private static void check(RaftClientReply r, String what) throws IOException {
    if (!r.isSuccess()) {
      throw new IOException(what + " failed: " + r.getException());
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing a client to a gone broker: nothing to do.
    }
  }

  @Override
  public void close() {
    calls.shutdownNow();
    clients.values().forEach(GroupAdmin::closeQuietly);
    clients.clear();
  }
}
