package dev.runnel.server.partition;

import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionReply;
import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.LeaderHint;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.raft.RaftHost;
import dev.runnel.server.raft.RaftMessages;
import dev.runnel.server.service.Replica;
import dev.runnel.server.storage.DiskSpaceGuard;
import dev.runnel.server.storage.PartitionStore;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.server.RaftServer;

/** A {@link Replica} backed by this broker's Ratis division of the partition's group. */
public final class LocalPartition implements Replica {
  private final RaftHost host;
  private final RaftGroupId gid;
  private final PartitionStateMachine sm;
  private final IntFunction<LeaderHint> hints;

  public LocalPartition(RaftHost host, RaftGroupId gid, PartitionStateMachine sm,
      IntFunction<LeaderHint> hints) {
    this.host = host;
    this.gid = gid;
    this.sm = sm;
    this.hints = hints;
  }

  /** The state machine behind this replica (for lifecycle repairs, not for reads or writes). */
  PartitionStateMachine stateMachine() {
    return sm;
  }

  @Override
  public Optional<PartitionStore> store() {
    return sm.store();
  }

  private Optional<RaftServer.Division> division() {
    return host.division(gid);
  }

  @Override
  public boolean isLeader() {
    return division().map(d -> d.getInfo().isLeader() && d.getInfo().isLeaderReady()).orElse(false);
  }

  @Override
  public int leaderId() {
    // A leader that has not yet committed an entry of its term rejects writes (LeaderNotReady), so
    // it is not reported as the leader: callers fall back to the metadata's last ready leader.
    return division().filter(d -> !d.getInfo().isLeader() || d.getInfo().isLeaderReady())
        .map(d -> GroupIds.brokerId(d.getInfo().getLeaderId())).orElse(-1);
  }

  /** The Raft term this replica is in. */
  public long term() {
    return division().map(d -> d.getInfo().getCurrentTerm()).orElse(-1L);
  }

  @Override
  public CompletableFuture<Void> nextAppend() {
    return sm.nextAppend();
  }

  @Override
  public CompletableFuture<PartitionReply> propose(PartitionCommand command, Acks acks, long timeoutMs,
      Runnable committed) {
    CompletableFuture<RaftClientReply> write = host.write(gid, ProposedCommand.of(command), timeoutMs);
    write.whenComplete((r, t) -> committed.run());
    CompletableFuture<PartitionReply> result = write
        .thenCompose(r -> {
          PartitionReply reply = replyOf(r);
          if (acks != Acks.ACKS_ALL) {
            return CompletableFuture.completedFuture(reply);
          }
          return host.watchAll(gid, r.getLogIndex(), timeoutMs).thenApply(w -> {
            if (!w.isSuccess()) {
              throw new ServiceException(ErrorCode.NOT_ENOUGH_REPLICAS,
                  "committed on a majority but not confirmed on every replica: " + w.getException());
            }
            return reply;
          });
        });
    return result.exceptionally(t -> {
      throw translate(t);
    });
  }

  private PartitionReply replyOf(RaftClientReply r) {
    if (!r.isSuccess()) {
      throw translate(r.getException());
    }
    try {
      return RaftMessages.parse(r.getMessage(), PartitionReply.parser());
    } catch (IOException e) {
      throw new ServiceException(ErrorCode.UNKNOWN_SERVER_ERROR, "unreadable reply from " + gid);
    }
  }

  /** Maps Ratis outcomes to protocol errors; the only place Ratis exceptions are interpreted. */
  ServiceException translate(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof ServiceException s) {
      return s;
    }
    if (c instanceof NotLeaderException nle) {
      int leader = nle.getSuggestedLeader() == null ? -1 : GroupIds.brokerId(nle.getSuggestedLeader().getId());
      return ServiceException.notLeader("this partition", leader < 0 ? null : hints.apply(leader));
    }
    if (c instanceof LeaderNotReadyException || c instanceof LeaderSteppingDownException) {
      return new ServiceException(ErrorCode.LEADER_NOT_AVAILABLE, "partition leader is changing: " + c.getMessage());
    }
    if (c instanceof ResourceUnavailableException) {
      return new ServiceException(ErrorCode.BROKER_BUSY, "partition write queue is full: " + c.getMessage());
    }
    if (c instanceof TimeoutException || (c instanceof RaftException && String.valueOf(c.getMessage()).contains("imeout"))) {
      return new ServiceException(ErrorCode.REQUEST_TIMED_OUT, "not committed in time; outcome unknown");
    }
    if (DiskSpaceGuard.isNoSpace(c)) {
      // Ratis's log failed for good: the broker stops the replica and restarts it once there is space.
      sm.reportStorageFailure("Raft log write", c);
      return new ServiceException(ErrorCode.STORAGE_ERROR, "this broker's disk is full; the write may"
          + " still be committed by the other replicas: " + c.getMessage());
    }
    return new ServiceException(ErrorCode.UNKNOWN_SERVER_ERROR, "replication failed: " + c);
  }
}
