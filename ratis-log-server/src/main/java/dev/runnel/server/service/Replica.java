package dev.runnel.server.service;

import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionReply;
import dev.runnel.proto.v1.Acks;
import dev.runnel.server.storage.PartitionStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * This broker's replica of a partition, as the service layer sees it: no Raft types. Implemented
 * over a Ratis division in the partition package.
 */
public interface Replica {

  /** The local store, empty while the replica is closed or installing a snapshot. */
  Optional<PartitionStore> store();

  boolean isLeader();

  /**
   * Broker id of the current leader as this replica knows it, or -1 (also while this replica is a
   * leader not yet ready to serve).
   */
  int leaderId();

  /** Completes at the next append applied on this replica. */
  CompletableFuture<Void> nextAppend();

  /**
   * Proposes a command through Raft and completes with the state machine's reply once the
   * command is committed and applied (MAJORITY) and, for ALL, replicated to every replica.
   * Fails with a ServiceException (NOT_LEADER, REQUEST_TIMED_OUT, ...) otherwise.
   */
  default CompletableFuture<PartitionReply> propose(PartitionCommand command, Acks acks,
      long timeoutMs) {
    return propose(command, acks, timeoutMs, () -> {});
  }

  /**
   * As {@link #propose(PartitionCommand, Acks, long)}, and runs {@code committed} once when the
   * entry is committed and applied, or its proposal failed: before the wait for every replica that
   * ALL adds. Group commit frees a slot then, so that a slow or dead follower holding up ALL does
   * not hold up the group's other writes.
   */
  CompletableFuture<PartitionReply> propose(PartitionCommand command, Acks acks, long timeoutMs,
      Runnable committed);
}
