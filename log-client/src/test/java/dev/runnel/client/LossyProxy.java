package dev.runnel.client;

import dev.runnel.proto.v1.BrokerInfo;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.InitProducerRequest;
import dev.runnel.proto.v1.InitProducerResponse;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.MetadataRequest;
import dev.runnel.proto.v1.MetadataResponse;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A LogService in front of one real broker that forwards every call, advertises itself in place of
 * the broker in Metadata answers, and can lose Produce responses: the broker handles the request,
 * but the client gets UNAVAILABLE, exactly as when a connection drops after the write.
 */
final class LossyProxy implements AutoCloseable {
  private final ManagedChannel upstream;
  private final LogServiceGrpc.LogServiceStub broker;
  private final Server server;
  /** How many of the next Produce responses to lose. */
  final AtomicInteger produceResponsesToLose = new AtomicInteger();
  /** Produce requests forwarded so far. */
  final AtomicInteger producesForwarded = new AtomicInteger();
  /** How many of the next Produce responses to hold back (the client waits) until {@link #loseHeld}. */
  final AtomicInteger produceResponsesToHold = new AtomicInteger();
  private final List<StreamObserver<?>> held = new CopyOnWriteArrayList<>();

  LossyProxy(String brokerAddress) throws IOException {
    this.upstream = Grpc.newChannelBuilder(brokerAddress, InsecureChannelCredentials.create()).build();
    this.broker = LogServiceGrpc.newStub(upstream);
    this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new Service()).build().start();
  }

  /** Produce responses held back so far and not yet lost. */
  int heldCount() {
    return held.size();
  }

  /** Ends every held call with UNAVAILABLE: the broker stored the batch, the client never hears. */
  void loseHeld() {
    for (StreamObserver<?> out : held) {
      out.onError(Status.UNAVAILABLE.withDescription("held response lost by the test proxy")
          .asRuntimeException());
    }
    held.clear();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  private final class Service extends LogServiceGrpc.LogServiceImplBase {
    @Override
    public void produce(ProduceRequest req, StreamObserver<ProduceResponse> out) {
      producesForwarded.incrementAndGet();
      forward(broker::produce, req, out, resp -> resp, true);
    }

    @Override
    public void fetch(FetchRequest req, StreamObserver<FetchResponse> out) {
      forward(broker::fetch, req, out, resp -> resp, false);
    }

    @Override
    public void listOffsets(ListOffsetsRequest req, StreamObserver<ListOffsetsResponse> out) {
      forward(broker::listOffsets, req, out, resp -> resp, false);
    }

    @Override
    public void initProducer(InitProducerRequest req, StreamObserver<InitProducerResponse> out) {
      forward(broker::initProducer, req, out, resp -> resp, false);
    }

    @Override
    public void metadata(MetadataRequest req, StreamObserver<MetadataResponse> out) {
      forward(broker::metadata, req, out, resp -> {
        MetadataResponse.Builder b = resp.toBuilder().clearBrokers();
        for (BrokerInfo bi : resp.getBrokersList()) {
          b.addBrokers(bi.toBuilder().setHost("127.0.0.1").setPort(server.getPort()));
        }
        return b.build();
      }, false);
    }
  }

  private <Q, R> void forward(BiConsumer<Q, StreamObserver<R>> call, Q req, StreamObserver<R> out,
      UnaryOperator<R> rewrite, boolean mayLose) {
    call.accept(req, new StreamObserver<>() {
      @Override
      public void onNext(R value) {
        if (mayLose && produceResponsesToHold.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          held.add(out);
          return;
        }
        if (mayLose && produceResponsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          out.onError(Status.UNAVAILABLE.withDescription("response lost by the test proxy")
              .asRuntimeException());
          return;
        }
        out.onNext(rewrite.apply(value));
        out.onCompleted();
      }

      @Override
      public void onError(Throwable t) {
        out.onError(t);
      }

      @Override
      public void onCompleted() {
        // Completed together with onNext above.
      }
    });
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    upstream.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
