package dev.runnel.server.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.service.Peers;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.Closeable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Forwards requests to other brokers' client endpoints over one channel per broker. */
public final class GrpcPeers implements Peers, Closeable {
  private final int selfId;
  private final IntFunction<Optional<BrokerRecord>> brokers;
  private final int maxMessageBytes;
  private final long timeoutMs;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public GrpcPeers(int selfId, IntFunction<Optional<BrokerRecord>> brokers, int maxMessageBytes,
      long timeoutMs) {
    this.selfId = selfId;
    this.brokers = brokers;
    this.maxMessageBytes = maxMessageBytes;
    this.timeoutMs = timeoutMs;
  }

  private LogServiceGrpc.LogServiceFutureStub stub(int brokerId) {
    BrokerRecord b = brokers.apply(brokerId).orElseThrow(() -> new ServiceException(
        ErrorCode.LEADER_NOT_AVAILABLE, "leader broker " + brokerId + " is not registered"));
    String target = b.getHost() + ":" + b.getClientPort();
    ManagedChannel ch = channels.computeIfAbsent(target, t -> NettyChannelBuilder.forTarget(t)
        .usePlaintext().maxInboundMessageSize(maxMessageBytes).build());
    Metadata h = new Metadata();
    h.put(Forwarding.HEADER, Integer.toString(selfId));
    return LogServiceGrpc.newFutureStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
        .withDeadlineAfter(timeoutMs + 2000, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<ProduceResponse> produce(int brokerId, ProduceRequest request) {
    return call(() -> stub(brokerId).produce(request));
  }

  @Override
  public CompletableFuture<FetchResponse> fetch(int brokerId, FetchRequest request) {
    return call(() -> stub(brokerId).fetch(request));
  }

  @Override
  public CompletableFuture<ListOffsetsResponse> listOffsets(int brokerId, ListOffsetsRequest request) {
    return call(() -> stub(brokerId).listOffsets(request));
  }

  private interface Call<T> {
    ListenableFuture<T> start();
  }

  private static <T> CompletableFuture<T> call(Call<T> c) {
    CompletableFuture<T> out = new CompletableFuture<>();
    try {
      Futures.addCallback(c.start(), new FutureCallback<T>() {
        @Override
        public void onSuccess(T result) {
          out.complete(result);
        }

        @Override
        public void onFailure(Throwable t) {
          out.completeExceptionally(asServiceException(t));
        }
      }, MoreExecutors.directExecutor());
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  /**
   * A failed forward as a protocol error: the peer's own ErrorDetail when it sent one, else the
   * leader counts as unavailable (retriable), e.g. while it restarts.
   */
  static Throwable asServiceException(Throwable t) {
    com.google.rpc.Status s = io.grpc.protobuf.StatusProto.fromThrowable(t);
    if (s != null) {
      for (com.google.protobuf.Any any : s.getDetailsList()) {
        if (any.is(dev.runnel.proto.v1.ErrorDetail.class)) {
          try {
            return new ServiceException(any.unpack(dev.runnel.proto.v1.ErrorDetail.class));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            break;
          }
        }
      }
    }
    io.grpc.Status status = io.grpc.Status.fromThrowable(t);
    if (status.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
      return new ServiceException(ErrorCode.REQUEST_TIMED_OUT, "the leader did not answer in time; outcome unknown");
    }
    return new ServiceException(ErrorCode.BROKER_NOT_AVAILABLE,
        "the leader broker is unreachable: " + status.getCode() + " " + status.getDescription());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
