package dev.runnel.client.internals.consumer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.internals.Errors;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.net.Calls;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ListOffsetsPartition;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResult;
import dev.runnel.proto.v1.LogServiceGrpc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@code ListOffsets} for partitions, sent to each partition's leader. */
public final class OffsetLookup {
  private final Metadata metadata;
  private final ChannelPool channels;
  private final int requestTimeoutMs;
  private final long backoffMs;
  private final Time time;

  public OffsetLookup(Metadata metadata, ChannelPool channels, int requestTimeoutMs, long backoffMs,
      Time time) {
    this.metadata = metadata;
    this.channels = channels;
    this.requestTimeoutMs = requestTimeoutMs;
    this.backoffMs = backoffMs;
    this.time = time;
  }

  /**
   * One round of lookups. {@code specs} maps each partition to -1 (latest), -2 (earliest) or a
   * timestamp. Partitions without a known leader, and those of a failed call, get an error result.
   */
  public CompletableFuture<Map<TopicPartition, ListOffsetsResult>> lookupAsync(
      Map<TopicPartition, Long> specs) {
    ClusterView view = metadata.view();
    Map<TopicPartition, ListOffsetsResult> out = new HashMap<>();
    Map<Integer, ListOffsetsRequest.Builder> byNode = new HashMap<>();
    specs.forEach((tp, spec) -> {
      int leader = view.leaderOf(tp);
      if (leader < 0 || view.address(leader) == null) {
        out.put(tp, error(tp, view.partitionCount(tp.topic()) < 0
            ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.LEADER_NOT_AVAILABLE, "no known leader"));
      } else {
        byNode.computeIfAbsent(leader, n -> ListOffsetsRequest.newBuilder())
            .addPartitions(ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setTimestampMs(spec));
      }
    });
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    byNode.forEach((node, req) -> calls.add(call(view.address(node), req.build()).handle((resp, err) -> {
      synchronized (out) {
        if (err != null) {
          RunnelException e = GrpcErrors.toException(err, "ListOffsets at broker " + node);
          metadata.requestUpdate();
          for (ListOffsetsPartition p : req.getPartitionsList()) {
            out.put(new TopicPartition(p.getTopic(), p.getPartition()), error(
                new TopicPartition(p.getTopic(), p.getPartition()), ErrorCode.LEADER_NOT_AVAILABLE,
                e.getMessage()));
          }
        } else {
          for (ListOffsetsResult r : resp.getResultsList()) {
            out.put(new TopicPartition(r.getTopic(), r.getPartition()), r);
          }
        }
      }
      return null;
    })));
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> {
      synchronized (out) {
        return new HashMap<>(out);
      }
    });
  }

  private CompletableFuture<dev.runnel.proto.v1.ListOffsetsResponse> call(HostPort address,
      ListOffsetsRequest req) {
    try {
      LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(channels.channel(address))
          .withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS);
      return Calls.unary(stub::listOffsets, req);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static ListOffsetsResult error(TopicPartition tp, ErrorCode code, String message) {
    return ListOffsetsResult.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
        .setError(code).setErrorMessage(message).setOffset(-1).setTimestampMs(-1).build();
  }

  /**
   * Looks up every partition, retrying retriable errors (after a metadata refresh) until
   * {@code timeoutMs}.
   *
   * @throws TimeoutException naming the partitions still unresolved
   * @throws dev.runnel.client.errors.ApiException for a non-retriable error
   */
  public Map<TopicPartition, ListOffsetsResult> lookup(Map<TopicPartition, Long> specs,
      long timeoutMs) {
    long deadline = time.monoMs() + timeoutMs;
    Map<TopicPartition, ListOffsetsResult> done = new LinkedHashMap<>();
    Map<TopicPartition, Long> left = new LinkedHashMap<>(specs);
    ListOffsetsResult lastError = null;
    try {
      while (!left.isEmpty()) {
        long seen = metadata.attempts();
        Map<TopicPartition, ListOffsetsResult> round = lookupAsync(left)
            .get(Math.max(1, deadline - time.monoMs()), TimeUnit.MILLISECONDS);
        for (Map.Entry<TopicPartition, ListOffsetsResult> e : round.entrySet()) {
          ListOffsetsResult r = e.getValue();
          if (r.getError() == ErrorCode.ERROR_NONE) {
            done.put(e.getKey(), r);
            left.remove(e.getKey());
          } else if (!Errors.isRetriable(r.getError())) {
            throw Errors.exception(r.getError(), r.getErrorMessage() + " (" + e.getKey() + ")");
          } else {
            lastError = r;
          }
        }
        if (!left.isEmpty()) {
          if (time.monoMs() >= deadline) {
            break;
          }
          metadata.awaitUpdate(seen, Math.min(deadline, time.monoMs() + Math.max(backoffMs, 10)));
        }
      }
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted while looking up offsets", e);
    } catch (ExecutionException e) {
      throw GrpcErrors.toException(e.getCause(), "ListOffsets");
    } catch (java.util.concurrent.TimeoutException e) {
      // Fall through to the timeout below.
    }
    if (!left.isEmpty()) {
      throw new TimeoutException("could not look up offsets of " + left.keySet() + " within "
          + timeoutMs + " ms" + (lastError == null ? "" : "; last error: " + lastError.getError() + " "
              + lastError.getErrorMessage()));
    }
    return done;
  }
}
