package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer's pipelined requests may reach the leader's proposal step in another order than they
 * were sent (gRPC runs concurrent calls on different threads). The leader holds a batch back until
 * its predecessor is proposed, instead of letting the state machine reject it as out of order.
 */
class ProduceOrderTest {
  private static final long PRODUCER = 77;

  @TempDir Path dir;

  @Test
  void aBatchThatOvertakesItsPredecessorWaitsForItInsteadOfBeingRejected() throws Exception {
    try (LocalCluster c = LocalCluster.start(1, dir); TestClient client = new TestClient(c.bootstrap())) {
      client.admin().createTopic(CreateTopicRequest.newBuilder().setName("t").setPartitions(1).build());
      ManagedChannel ch = ManagedChannelBuilder.forTarget(c.bootstrap()).usePlaintext().build();
      try {
        LogServiceGrpc.LogServiceStub async = LogServiceGrpc.newStub(ch);
        assertEquals(0, ok(client.log().produce(request(0, "a0", "a1"))).getBaseOffset());

        // Sequence 4 is sent first and must wait for sequence 2, sent once the broker holds it.
        CompletableFuture<ProduceResponse> third = send(async, request(4, "c0", "c1"));
        LocalCluster.waitFor(Duration.ofSeconds(10), "sequence 4 held back",
            () -> metrics(c).contains("runnel_produce_reordered_total 1.0"));
        assertTrue(!third.isDone(), "held back while its predecessor is missing");
        ProduceResult second = ok(client.log().produce(request(2, "b0", "b1")));
        ProduceResult thirdResult = ok(third.get(10, TimeUnit.SECONDS));
        assertEquals(2, second.getBaseOffset());
        assertEquals(4, thirdResult.getBaseOffset());

        List<String> values = new ArrayList<>();
        for (var b : client.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition
            .newBuilder().setTopic("t").setPartition(0).setOffset(0)).build())
            .getPartitions(0).getBatchesList()) {
          values.addAll(Batches.decode(b.getBatch()));
        }
        assertEquals(List.of("=a0", "=a1", "=b0", "=b1", "=c0", "=c1"), values);

        // A batch whose predecessor never comes goes ahead after the wait and is rejected, as
        // the state machine always did: the wait only orders, it never decides.
        long start = System.nanoTime();
        ProduceResult gap = client.log().produce(request(100, "z")).getResults(0);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ErrorCode.OUT_OF_ORDER_SEQUENCE, gap.getError(), gap.toString());
        assertTrue(waitedMs >= 400, "waited " + waitedMs + " ms for the missing batch");

        String metrics = metrics(c);
        assertTrue(metrics.contains("runnel_produce_reordered_total 2.0"), metrics);
        assertTrue(metrics.contains("runnel_produce_reorder_timeouts_total 1.0"), metrics);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static String metrics(LocalCluster c) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + c.brokers().get(0).httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ProduceRequest request(int baseSequence, String... values) {
    List<String[]> kv = new ArrayList<>();
    for (String v : values) {
      kv.add(new String[] {null, v});
    }
    return ProduceRequest.newBuilder().addBatches(PartitionBatch.newBuilder().setTopic("t")
        .setPartition(0).setBatch(Batches.of(PRODUCER, baseSequence, kv).toByteString())).build();
  }

  private static ProduceResult ok(ProduceResponse r) {
    assertEquals(ErrorCode.ERROR_NONE, r.getResults(0).getError(), r.toString());
    return r.getResults(0);
  }

  private static CompletableFuture<ProduceResponse> send(LogServiceGrpc.LogServiceStub stub,
      ProduceRequest req) {
    CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
    stub.produce(req, new StreamObserver<>() {
      @Override
      public void onNext(ProduceResponse value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    return f;
  }
}
