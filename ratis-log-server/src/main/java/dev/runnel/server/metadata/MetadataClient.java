package dev.runnel.server.metadata;

import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.MetadataReply;
import dev.runnel.proto.internal.MetadataSnapshot;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.raft.RaftMessages;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Proposes commands to the metadata group from any broker (member of the group or not). Ratis
 * follows leader changes; retries are bounded so a request without a quorum fails rather than hangs.
 */
public final class MetadataClient implements Closeable {
  private final RaftClient client;

  public MetadataClient(RaftGroup metadataGroup, RaftProperties props) {
    this.client = RaftClient.newBuilder().setRaftGroup(metadataGroup).setProperties(props)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            20, TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)))
        .build();
  }

  /** Proposes a command; rejections come back as a {@link ServiceException}. */
  public CompletableFuture<MetadataReply> submit(MetadataCommand cmd) {
    return client.async().send(RaftMessages.of(cmd)).thenApply(MetadataClient::parse)
        .exceptionally(t -> {
          throw unavailable(t);
        });
  }

  /** A command's reply and the metadata log index it was committed at. */
  public record Committed(MetadataReply reply, long index) {}

  /** Proposes a command; completes with its reply and commit index (for read-your-writes). */
  public CompletableFuture<Committed> submitCommitted(MetadataCommand cmd) {
    return client.async().send(RaftMessages.of(cmd))
        .thenApply(r -> new Committed(parse(r), r.getLogIndex()))
        .exceptionally(t -> {
          throw unavailable(t);
        });
  }

  /** Proposes a command and completes with the log index it was committed at. */
  public CompletableFuture<Long> submitForIndex(MetadataCommand cmd) {
    return client.async().send(RaftMessages.of(cmd)).thenApply(r -> {
      parse(r);
      return r.getLogIndex();
    }).exceptionally(t -> {
      throw unavailable(t);
    });
  }

  /** Reads the whole metadata state from the group (linearizable). */
  public CompletableFuture<MetadataSnapshot> readState() {
    return client.async().sendReadOnly(RaftMessages.of(MetadataCommand.getDefaultInstance()))
        .thenApply(r -> {
          try {
            return MetadataSnapshot.parseFrom(RaftMessages.buffer(r.getMessage()));
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
  }

  private static MetadataReply parse(RaftClientReply r) {
    if (!r.isSuccess()) {
      throw new ServiceException(ErrorCode.CONTROLLER_NOT_AVAILABLE,
          "metadata quorum did not accept the command: " + r.getException());
    }
    MetadataReply reply;
    try {
      reply = MetadataReply.parseFrom(RaftMessages.buffer(r.getMessage()));
    } catch (IOException e) {
      throw new ServiceException(ErrorCode.UNKNOWN_SERVER_ERROR, "unreadable metadata reply");
    }
    if (reply.getError() != 0) {
      throw new ServiceException(ErrorCode.forNumber(reply.getError()), reply.getErrorMessage());
    }
    return reply;
  }

  private static RuntimeException unavailable(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof ServiceException s) {
      return s;
    }
    return new ServiceException(ErrorCode.CONTROLLER_NOT_AVAILABLE,
        "metadata quorum unavailable: " + c.getMessage());
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
