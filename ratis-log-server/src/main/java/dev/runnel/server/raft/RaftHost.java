package dev.runnel.server.raft;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;

/**
 * The broker's single Ratis server, hosting the metadata group and the partition groups, plus
 * local submission of requests to groups led here.
 */
public final class RaftHost implements Closeable {
  private final RaftServer server;
  private final RaftPeerId self;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final Path storageDir;
  private final RaftProperties props;

  /**
   * @param initialGroup the metadata group when this broker is one of its members, else null
   * @param recover whether that group's directory already exists
   */
  public RaftHost(int brokerId, RaftProperties props, StateMachine.Registry registry,
      RaftGroup initialGroup, boolean recover) throws IOException {
    this.self = GroupIds.peerId(brokerId);
    this.storageDir = RaftServerConfigKeys.storageDir(props).get(0).toPath();
    this.props = props;
    RaftServer.Builder b = RaftServer.newBuilder().setServerId(self).setProperties(props)
        .setStateMachineRegistry(registry);
    if (initialGroup != null) {
      b.setGroup(initialGroup).setOption(recover ? RaftStorage.StartupOption.RECOVER
          : RaftStorage.StartupOption.FORMAT);
    }
    this.server = b.build();
  }

  public void start() throws IOException {
    server.start();
  }

  public RaftServer server() {
    return server;
  }

  public RaftPeerId self() {
    return self;
  }

  public Optional<RaftServer.Division> division(RaftGroupId gid) {
    try {
      return Optional.of(server.getDivision(gid));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Proposes a write to a group through this server; a non-leader answers with NotLeader. */
  public CompletableFuture<RaftClientReply> write(RaftGroupId gid, Message msg, long timeoutMs) {
    return submit(gid, msg, RaftClientRequest.writeRequestType(), timeoutMs);
  }

  /**
   * Waits until {@code index} is in the log of every replica of the group (followers answer an
   * append only after writing it to their log). Not ALL_COMMITTED: that also waits for every
   * follower to hear of the commit, one more round trip that adds nothing to durability.
   */
  public CompletableFuture<RaftClientReply> watchAll(RaftGroupId gid, long index, long timeoutMs) {
    return submit(gid, Message.EMPTY,
        RaftClientRequest.watchRequestType(index, ReplicationLevel.ALL), timeoutMs);
  }

  /**
   * Submits on the calling thread, straight to the group's division. Ratis 3.3's
   * {@code RaftServer.submitClientRequestAsync} first hands the request to the division's client
   * thread pool and blocks the caller until that thread has queued it
   * ({@code RaftServerImpl.executeSubmitClientRequestAsync} joins on it): two thread wake-ups per
   * write and per watch that buy nothing, since the caller waits anyway. The division is the same
   * object either way and takes the same locks; the proxy path stays as the fallback should a
   * future Ratis hand out divisions that do not take client requests.
   */
  private CompletableFuture<RaftClientReply> submit(RaftGroupId gid, Message msg,
      RaftClientRequest.Type type, long timeoutMs) {
    RaftClientRequest req = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(self)
        .setGroupId(gid).setCallId(callIds.incrementAndGet()).setMessage(msg).setType(type)
        .setTimeoutMs(timeoutMs).build();
    try {
      if (server.getDivision(gid) instanceof RaftClientAsynchronousProtocol division) {
        return division.submitClientRequestAsync(req);
      }
      return server.submitClientRequestAsync(req);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Closes this server's member of the group; its directory is moved to the removed-groups
   * (quarantine) directory when {@code keepFiles}, else deleted. The other members are not told.
   */
  public CompletableFuture<Void> removeGroup(RaftGroupId gid, boolean keepFiles) {
    return manage(GroupManagementRequest.newRemove(clientId, self, callIds.incrementAndGet(), gid,
        !keepFiles, keepFiles));
  }

  /**
   * Closes this server's member of the group in place: its files stay where they are and the group
   * stays listed (so the controller does not take the member for lost and rebuild it), but it
   * neither votes nor takes entries until it is dropped ({@link #dropMember}) and opened again
   * ({@link #openMember}). Returns the group as the member
   * last knew it, or empty if it is not hosted here or already closed.
   */
  public Optional<RaftGroup> closeMember(RaftGroupId gid) throws IOException {
    Optional<RaftServer.Division> d = division(gid);
    if (d.isEmpty() || !d.get().getInfo().isAlive()) {
      return Optional.empty();
    }
    RaftGroup group = d.get().getGroup();
    d.get().close();
    return Optional.of(group);
  }

  /** Whether the member of the group is hosted here and closed. */
  public boolean isClosedMember(RaftGroupId gid) {
    return division(gid).map(d -> !d.getInfo().isAlive()).orElse(false);
  }

  /**
   * Drops a closed member from this server, leaving its files where they are (Ratis cannot restart
   * a closed member in place; {@link #openMember} adds it back).
   */
  public CompletableFuture<Void> dropMember(RaftGroupId gid) {
    return manage(GroupManagementRequest.newRemove(clientId, self, callIds.incrementAndGet(), gid,
        false, false));
  }

  /**
   * Opens a member from its files, as at a restart: Ratis recovers its log (dropping a torn last
   * entry), the state machine reloads, and the leader catches it up. Refused if the files are gone
   * (Ratis would format an empty member instead).
   */
  public CompletableFuture<Void> openMember(RaftGroup group) {
    if (!Files.isDirectory(storageDir.resolve(group.getGroupId().getUuid().toString()))) {
      return CompletableFuture.failedFuture(new IOException("no files for group "
          + group.getGroupId() + " in " + storageDir));
    }
    return manage(GroupManagementRequest.newAdd(clientId, self, callIds.incrementAndGet(), group,
        false));
  }

  /**
   * Asks the group's leader, wherever it is, to step down, so that the next term starts with fresh
   * log appenders. Ratis 3.3's appender can keep a stale view of a follower whose writes failed
   * (reliability.md, open finding of 2026-11-27): it then sends that follower only heartbeats and
   * the follower never catches up. Blocking; call it off Ratis's threads.
   */
  public void stepDownLeader(RaftGroup group, long timeoutMs) throws IOException {
    try (RaftClient c = RaftClient.newBuilder().setProperties(props).setRaftGroup(group)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS))).build()) {
      RaftClientReply r = c.admin().transferLeadership(null, timeoutMs);
      if (!r.isSuccess()) {
        throw new IOException("leader of " + group.getGroupId() + " did not step down: " + r.getException());
      }
    } catch (RuntimeException e) {
      throw new IOException("leader of " + group.getGroupId() + " did not step down: " + e, e);
    }
  }

  private CompletableFuture<Void> manage(GroupManagementRequest req) {
    return server.groupManagementAsync(req).thenAccept(r -> {
      if (!r.isSuccess()) {
        throw new CompletionException(r.getException());
      }
    });
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
