package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a follower down, acks=all writes wait until they time out, while acks=majority writes of the
 * same partition still commit at once: group commit must not let the former hold up the latter
 * (its slots free at commit, not after the wait for every replica).
 */
class AcksAllWithAFollowerDownTest {
  @TempDir Path dir;

  @Test
  void majorityWritesAreNotHeldUpByAllWritesWaitingForADeadFollower() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir);
        TestClient client = new TestClient(cluster.bootstrap().split(",")[0])) {
      TopicDescription t = ClusterFixture.createTopic(client, "w", 1, 3);
      // Warm the partition up while every replica is there.
      int leader = ClusterFixture.stopAFollowerKeepingTheLeader(cluster, t, () ->
          ClusterFixture.produce(cluster, "w", 0,
              Batches.of(0, 0, List.<String[]>of(new String[] {null, "x"})).toByteString()));

      String address = cluster.broker(leader).orElseThrow().clientAddress();
      ManagedChannel ch = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
      try {
        LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(ch);
        List<CompletableFuture<ProduceResponse>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          all.add(ClusterFixture.produceAsync(stub, request(Acks.ACKS_ALL, "all" + i, 6_000)));
        }
        Thread.sleep(300); // the acks=all entries are committed and now wait for the dead follower
        long start = System.nanoTime();
        ProduceResult majority = ClusterFixture.produceAsync(stub,
            request(Acks.ACKS_MAJORITY, "majority", 6_000)).get(20, TimeUnit.SECONDS).getResults(0);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ErrorCode.ERROR_NONE, majority.getError(), majority.toString());
        assertTrue(tookMs < 3_000, "acks=majority took " + tookMs + " ms behind waiting acks=all writes");
        for (CompletableFuture<ProduceResponse> f : all) {
          ProduceResult r = f.get(30, TimeUnit.SECONDS).getResults(0);
          assertNotEquals(ErrorCode.ERROR_NONE, r.getError(), "acks=all cannot be met with a replica down");
        }
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static ProduceRequest request(Acks acks, String value, int timeoutMs) {
    return ProduceRequest.newBuilder().setAcks(acks).setTimeoutMs(timeoutMs).addBatches(
        PartitionBatch.newBuilder().setTopic("w").setPartition(0).setBatch(
            Batches.of(0, 0, List.<String[]>of(new String[] {null, value})).toByteString())).build();
  }
}
