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
        CompletableFuture<ProduceResponse> third =
            ClusterFixture.produceAsync(async, request(4, "c0", "c1"));
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

  /**
   * Group commit: requests that arrive while a partition's group has entries in flight share the
   * next entry. A producer's pipelined requests still land in sequence order, and concurrent
   * requests of other clients each get their own dense range of offsets.
   */
  @Test
  void concurrentRequestsShareEntriesAndKeepTheirOrderAndOffsets() throws Exception {
    try (LocalCluster c = LocalCluster.start(1, dir); TestClient client = new TestClient(c.bootstrap())) {
      client.admin().createTopic(CreateTopicRequest.newBuilder().setName("t").setPartitions(1).build());
      ManagedChannel ch = ManagedChannelBuilder.forTarget(c.bootstrap()).usePlaintext().build();
      try {
        LogServiceGrpc.LogServiceStub async = LogServiceGrpc.newStub(ch);
        int pipelined = 40;
        List<CompletableFuture<ProduceResponse>> idempotent = new ArrayList<>();
        List<CompletableFuture<ProduceResponse>> plain = new ArrayList<>();
        // The first batch introduces the producer (an unknown producer's batches are never held).
        idempotent.add(CompletableFuture.completedFuture(
            client.log().produce(request(0, "s0a", "s0b"))));
        for (int i = 0; i < pipelined; i++) {
          if (i > 0) {
            idempotent.add(ClusterFixture.produceAsync(async,
                request(2 * i, "s" + i + "a", "s" + i + "b")));
          }
          plain.add(ClusterFixture.produceAsync(async, ProduceRequest.newBuilder()
              .addBatches(PartitionBatch.newBuilder().setTopic("t").setPartition(0)
                  .setBatch(Batches.of(0, 0, List.of(new String[] {null, "p" + i + "a"},
                      new String[] {null, "p" + i + "b"}, new String[] {null, "p" + i + "c"}))
                      .toByteString())).build()));
        }
        long previous = -1;
        java.util.Set<Long> starts = new java.util.TreeSet<>();
        for (CompletableFuture<ProduceResponse> f : idempotent) {
          long base = ok(f.get(30, TimeUnit.SECONDS)).getBaseOffset();
          assertTrue(base > previous,
              "pipelined batches land in sequence order: " + base + " after " + previous);
          previous = base;
          starts.add(base);
        }
        for (CompletableFuture<ProduceResponse> f : plain) {
          starts.add(ok(f.get(30, TimeUnit.SECONDS)).getBaseOffset());
        }
        assertEquals(2 * pipelined, starts.size(), "every request has its own offsets");

        // Every record is stored exactly once, and each request's records are contiguous.
        List<String> values = new ArrayList<>();
        long offset = 0;
        while (offset < 5L * pipelined) {
          var part = client.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition
              .newBuilder().setTopic("t").setPartition(0).setOffset(offset)).build()).getPartitions(0);
          for (var b : part.getBatchesList()) {
            List<String> batch = Batches.decode(b.getBatch());
            values.addAll(batch);
            offset = b.getBaseOffset() + batch.size();
          }
        }
        assertEquals(5 * pipelined, values.size());
        assertEquals(5 * pipelined, new java.util.HashSet<>(values).size());

        String m = metrics(c);
        double entries = metric(m, "runnel_produce_entry_appends_count");
        double most = metric(m, "runnel_produce_entry_appends_max");
        assertTrue(entries < 2 * pipelined && most > 1,
            "requests shared entries: " + entries + " entries for " + 2 * pipelined
                + " requests, max " + most);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static double metric(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " not in " + metrics);
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
}
