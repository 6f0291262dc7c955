package dev.runnel.server.grpc;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.InitProducerRequest;
import dev.runnel.proto.v1.InitProducerResponse;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.MetadataRequest;
import dev.runnel.proto.v1.MetadataResponse;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.SubscribeRequest;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.service.ClusterInfoHandler;
import dev.runnel.server.service.FetchHandler;
import dev.runnel.server.service.OffsetsHandler;
import dev.runnel.server.service.ProduceHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** gRPC edge of the data plane: translates calls to the service layer and failures to statuses. */
public final class LogServiceGrpcImpl extends LogServiceGrpc.LogServiceImplBase {
  private final ProduceHandler produce;
  private final FetchHandler fetch;
  private final OffsetsHandler offsets;
  private final ClusterInfoHandler info;
  private final Subscriptions subscriptions;
  private final Semaphore inflight;
  private final int maxInflight;

  public LogServiceGrpcImpl(ProduceHandler produce, FetchHandler fetch, OffsetsHandler offsets,
      ClusterInfoHandler info, Subscriptions subscriptions, int maxInflight) {
    this.produce = produce;
    this.fetch = fetch;
    this.offsets = offsets;
    this.info = info;
    this.subscriptions = subscriptions;
    this.inflight = new Semaphore(maxInflight);
    this.maxInflight = maxInflight;
  }

  /**
   * The service to register: as generated, except that produce requests share the bytes they
   * were read into instead of copying every batch out of them (see {@link AliasingMarshaller}).
   */
  public ServerServiceDefinition definition() {
    return AliasingMarshaller.aliasRequests(bindService(), LogServiceGrpc.getProduceMethod(),
        ProduceRequest.parser());
  }

  @Override
  public void produce(ProduceRequest request, StreamObserver<ProduceResponse> out) {
    bounded(out, () -> produce.produce(request, Forwarding.isForwarded()));
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<FetchResponse> out) {
    bounded(out, () -> fetch.fetch(request, Forwarding.isForwarded()));
  }

  @Override
  public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> out) {
    bounded(out, () -> offsets.listOffsets(request, Forwarding.isForwarded()));
  }

  @Override
  public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> out) {
    bounded(out, () -> CompletableFuture.completedFuture(info.metadata(request)));
  }

  @Override
  public void initProducer(InitProducerRequest request, StreamObserver<InitProducerResponse> out) {
    bounded(out, info::initProducer);
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<FetchedPartition> out) {
    try {
      subscriptions.start(request, (ServerCallStreamObserver<FetchedPartition>) out);
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
    }
  }

  /** Runs a call within the broker's in-flight limit; over the limit it answers BROKER_BUSY. */
  private <T> void bounded(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
    if (!inflight.tryAcquire()) {
      out.onError(ErrorMapper.toStatus(new ServiceException(ErrorCode.BROKER_BUSY,
          "broker has " + maxInflight + " requests in flight (max.inflight.requests); retry later")));
      return;
    }
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      inflight.release();
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    f.whenComplete((r, t) -> {
      inflight.release();
      if (t != null) {
        out.onError(ErrorMapper.toStatus(t));
      } else {
        out.onNext(r);
        out.onCompleted();
      }
    });
  }
}
