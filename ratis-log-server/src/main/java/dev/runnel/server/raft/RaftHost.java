package dev.runnel.server.raft;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
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
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;

/**
 * The broker's single Ratis server, hosting the metadata group and the partition groups, plus
 * local submission of requests to groups led here.
 */
public final class RaftHost implements Closeable {
  private final RaftServer server;
  private final RaftPeerId self;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  /**
   * @param initialGroup the metadata group when this broker is one of its members, else null
   * @param recover whether that group's directory already exists
   */
  public RaftHost(int brokerId, RaftProperties props, StateMachine.Registry registry,
      RaftGroup initialGroup, boolean recover) throws IOException {
    this.self = GroupIds.peerId(brokerId);
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
    GroupManagementRequest req = GroupManagementRequest.newRemove(clientId, self,
        callIds.incrementAndGet(), gid, !keepFiles, keepFiles);
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
