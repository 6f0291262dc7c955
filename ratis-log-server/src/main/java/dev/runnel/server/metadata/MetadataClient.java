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
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.api.AsyncApi;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes commands to the metadata group from any broker (member of the group or not). Ratis
 * follows leader changes; retries are bounded so a request without a quorum fails rather than hangs.
 *
 * <p>A Ratis client sends its requests in order through one sliding window, and the first request
 * that fails for good (retries used up, say while no quorum exists yet) fails the window for good
 * too: every later request fails at once with "is closed". A broker started more than a few
 * seconds before the others could then never register. After a failed request the client is
 * replaced, so the next one starts afresh.
 */
public final class MetadataClient implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataClient.class);

  private final Supplier<RaftClient> factory;
  private volatile RaftClient client;
  private boolean closed;

  public MetadataClient(RaftGroup metadataGroup, RaftProperties props) {
    this.factory = () -> RaftClient.newBuilder().setRaftGroup(metadataGroup).setProperties(props)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            20, TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)))
        .build();
    this.client = factory.get();
  }

  /** Sends through the current client, replacing it if the request fails (see the class note). */
  private CompletableFuture<RaftClientReply> send(
      Function<AsyncApi, CompletableFuture<RaftClientReply>> request) {
    RaftClient c = client;
    return request.apply(c.async()).whenComplete((r, t) -> {
      if (t != null) {
        replace(c, t);
      }
    });
  }

  private void replace(RaftClient failed, Throwable cause) {
    synchronized (this) {
      if (closed || client != failed) {
        return;  // already replaced after another failed request
      }
      client = factory.get();
    }
    LOG.debug("Metadata client replaced after a failed request: {}", cause.toString());
    // Not on this thread: it may be one of the failed client's own.
    CompletableFuture.runAsync(() -> closeQuietly(failed));
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing a replaced metadata client failed", e);
    }
  }

  /** Proposes a command; rejections come back as a {@link ServiceException}. */
  public CompletableFuture<MetadataReply> submit(MetadataCommand cmd) {
    return send(a -> a.send(RaftMessages.of(cmd))).thenApply(MetadataClient::parse)
        .exceptionally(t -> {
          throw unavailable(t);
        });
  }

  /** A command's reply and the metadata log index it was committed at. */
  public record Committed(MetadataReply reply, long index) {}

  /** Proposes a command; completes with its reply and commit index (for read-your-writes). */
  public CompletableFuture<Committed> submitCommitted(MetadataCommand cmd) {
    return send(a -> a.send(RaftMessages.of(cmd)))
        .thenApply(r -> new Committed(parse(r), r.getLogIndex()))
        .exceptionally(t -> {
          throw unavailable(t);
        });
  }

  /** Proposes a command and completes with the log index it was committed at. */
  public CompletableFuture<Long> submitForIndex(MetadataCommand cmd) {
    return send(a -> a.send(RaftMessages.of(cmd))).thenApply(r -> {
      parse(r);
      return r.getLogIndex();
    }).exceptionally(t -> {
      throw unavailable(t);
    });
  }

  /** Reads the whole metadata state from the group (linearizable). */
  public CompletableFuture<MetadataSnapshot> readState() {
    return send(a -> a.sendReadOnly(RaftMessages.of(MetadataCommand.getDefaultInstance())))
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
    RaftClient c;
    synchronized (this) {
      closed = true;
      c = client;
    }
    c.close();
  }
}
