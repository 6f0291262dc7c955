package dev.runnel.server.grpc;

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
import java.util.function.Supplier;

/** gRPC edge of the data plane: translates calls to the service layer and failures to statuses. */
public final class LogServiceGrpcImpl extends LogServiceGrpc.LogServiceImplBase {
  private final ProduceHandler produce;
  private final FetchHandler fetch;
  private final OffsetsHandler offsets;
  private final ClusterInfoHandler info;
  private final Subscriptions subscriptions;
  private final InflightBudget inflight;

  public LogServiceGrpcImpl(ProduceHandler produce, FetchHandler fetch, OffsetsHandler offsets,
      ClusterInfoHandler info, Subscriptions subscriptions, InflightBudget inflight) {
    this.produce = produce;
    this.fetch = fetch;
    this.offsets = offsets;
    this.info = info;
    this.subscriptions = subscriptions;
    this.inflight = inflight;
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
    // The batches alias the bytes the request was read into: its size is what it holds.
    bounded(out, request.getSerializedSize(), () -> produce.produce(request, Forwarding.isForwarded()));
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<FetchResponse> out) {
    bounded(out, 0, () -> fetch.fetch(request, Forwarding.isForwarded()));
  }

  @Override
  public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> out) {
    bounded(out, 0, () -> offsets.listOffsets(request, Forwarding.isForwarded()));
  }

  @Override
  public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> out) {
    bounded(out, 0, () -> CompletableFuture.completedFuture(info.metadata(request)));
  }

  @Override
  public void initProducer(InitProducerRequest request, StreamObserver<InitProducerResponse> out) {
    bounded(out, 0, info::initProducer);
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<FetchedPartition> out) {
    try {
      subscriptions.start(request, (ServerCallStreamObserver<FetchedPartition>) out);
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
    }
  }

  /**
   * Runs a call within the broker's in-flight limits (requests, and bytes of produce requests);
   * over a limit it answers BROKER_BUSY.
   */
  private <T> void bounded(StreamObserver<T> out, long bytes, Supplier<CompletableFuture<T>> call) {
    try {
      inflight.acquire(bytes);
    } catch (ServiceException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      inflight.release(bytes);
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    f.whenComplete((r, t) -> {
      inflight.release(bytes);
      if (t != null) {
        out.onError(ErrorMapper.toStatus(t));
      } else {
        out.onNext(r);
        out.onCompleted();
      }
    });
  }
}
