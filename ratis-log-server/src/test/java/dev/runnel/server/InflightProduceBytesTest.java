package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.inflight.produce.bytes}: produce requests that cannot complete (acks=all with a
 * replica down waits for its timeout) stay on the leader's heap; once they hold the budget, the
 * next one is refused at once with BROKER_BUSY, and the budget frees when they are answered.
 */
class InflightProduceBytesTest {
  private static final int VALUE_BYTES = 20_000;

  @TempDir Path dir;

  @Test
  void produceRequestsBeyondTheByteBudgetAreRefusedUntilTheHeldOnesAreAnswered() throws Exception {
    Map<String, String> limits = Map.of("max.batch.bytes", "32KiB", "max.record.bytes", "32KiB",
        "max.request.bytes", "64KiB", "max.inflight.produce.bytes", "64KiB");
    try (LocalCluster cluster = LocalCluster.start(3, dir, limits);
        TestClient client = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription t = ClusterFixture.createTopic(client, "w", 1, 3);
      int leader = ClusterFixture.stopAFollowerKeepingTheLeader(cluster, t, () -> { });

      String address = cluster.broker(leader).orElseThrow().clientAddress();
      ManagedChannel ch = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
      try {
        LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(ch);
        ProduceRequest req = request();
        int perRequest = req.getSerializedSize();
        assertTrue(perRequest > 20_000 && perRequest < 32 * 1024, "request of " + perRequest);
        // Three ~20 KB requests fit in 64 KiB and wait for the dead follower; the fourth does not.
        List<CompletableFuture<ProduceResponse>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          held.add(ClusterFixture.produceAsync(stub, req));
        }
        Thread.sleep(500);
        for (CompletableFuture<ProduceResponse> f : held) {
          assertFalse(f.isDone(), "acks=all cannot complete with a replica down");
        }
        StatusRuntimeException busy = refusal(ClusterFixture.produceAsync(stub, req));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode(), busy.toString());
        assertTrue(busy.getStatus().getDescription().contains("max.inflight.produce.bytes"),
            busy.getStatus().getDescription());

        // Once the held requests time out and are answered, their bytes are free again.
        for (CompletableFuture<ProduceResponse> f : held) {
          assertNotEquals(ErrorCode.ERROR_NONE, f.get(30, TimeUnit.SECONDS).getResults(0).getError());
        }
        CompletableFuture<ProduceResponse> again = ClusterFixture.produceAsync(stub, req);
        Thread.sleep(500);
        assertFalse(again.isDone(), "admitted, and waiting like the first ones");
        assertNotEquals(ErrorCode.ERROR_NONE, again.get(30, TimeUnit.SECONDS).getResults(0).getError());
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static StatusRuntimeException refusal(CompletableFuture<ProduceResponse> f)
      throws Exception {
    try {
      ProduceResponse r = f.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a refusal, got " + r);
    } catch (ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    }
  }

  private static ProduceRequest request() {
    return ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).setTimeoutMs(3_000).addBatches(
        PartitionBatch.newBuilder().setTopic("w").setPartition(0).setBatch(Batches.of(0, 0,
            List.<String[]>of(new String[] {null, "x".repeat(VALUE_BYTES)})).toByteString()))
        .build();
  }
}
