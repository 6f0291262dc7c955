package dev.runnel.server;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.service.Replica;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/** Helpers shared by the cluster tests: produce with retries, read everything, compare replicas. */
final class ClusterFixture {
  private ClusterFixture() {}

  static TopicDescription createTopic(TestClient c, String name, int partitions, int rf) {
    return c.admin().createTopic(CreateTopicRequest.newBuilder().setName(name).setPartitions(partitions)
        .setReplicationFactor(rf).build()).getTopic();
  }

  /**
   * Produces one batch, retrying retriable errors (leader changes) for up to 60 s, and returns its
   * result. Retries resend the same idempotent batch, so it is stored once.
   */
  static ProduceResult produce(LocalCluster cluster, String topic, int partition, ByteString batch) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    ProduceResult last = null;
    while (System.nanoTime() < deadline) {
      for (var b : cluster.brokers()) {
        try (TestClient c = new TestClient(b.clientAddress())) {
          last = c.log().produce(ProduceRequest.newBuilder().setTimeoutMs(10_000).addBatches(
              PartitionBatch.newBuilder().setTopic(topic).setPartition(partition).setBatch(batch)).build())
              .getResults(0);
          if (last.getError() == ErrorCode.ERROR_NONE) {
            return last;
          }
        } catch (Exception e) {
          // The broker may be stopping; try the next one.
        }
      }
      sleep(200);
    }
    throw new AssertionError("produce did not succeed within 60 s; last result " + last);
  }

  /** Reads a partition from offset 0 to its end through {@code c}. */
  static List<FetchedBatch> readAll(TestClient c, String topic, int partition) {
    List<FetchedBatch> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < 100_000; i++) {
      FetchedPartition p = c.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition
          .newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)).build()).getPartitions(0);
      if (p.getError() != ErrorCode.ERROR_NONE) {
        throw new AssertionError("fetch failed: " + p.getError() + " " + p.getErrorMessage());
      }
      if (p.getBatchesCount() == 0) {
        return out;
      }
      for (FetchedBatch b : p.getBatchesList()) {
        out.add(b);
        offset = b.getBaseOffset() + recordCount(b);
      }
    }
    throw new AssertionError("too many fetches");
  }

  /** {@link #readAll}, retried while leadership settles (NOT_LEADER, no leader yet), up to 30 s. */
  static List<FetchedBatch> readAllSettled(TestClient c, String topic, int partition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return readAll(c, topic, partition);
      } catch (AssertionError e) {
        boolean settling = e.getMessage().contains("NOT_LEADER") || e.getMessage().contains("LEADER_NOT_AVAILABLE");
        if (!settling || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  static int recordCount(FetchedBatch b) {
    try {
      return dev.runnel.proto.v1.RecordBatch.parseFrom(b.getBatch()).getRecordCount();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The store of a broker's local replica of a partition, if it has one open. */
  static Optional<PartitionStore> localStore(Broker b, TopicDescription t, int partition) {
    return b.replicas().local(t.getPartitions(partition).getRaftGroupId()).flatMap(Replica::store);
  }

  /** The broker leading a partition, waiting up to 30 s for one (elections and transfers). */
  /**
   * Waits until partition 0's preferred replica (the first listed; the controller moves leadership
   * there) leads, so no transfer happens while a test measures, then runs {@code beforeStop} and
   * stops a follower that is not the controller either (a new controller may move leaders
   * around). The partition keeps its majority and its leader, but cannot reach every replica.
   *
   * @return the leader's broker id
   */
  static int stopAFollowerKeepingTheLeader(LocalCluster cluster, TopicDescription t,
      Runnable beforeStop) {
    int preferred = t.getPartitions(0).getReplicas(0);
    LocalCluster.waitFor(Duration.ofSeconds(60), "the preferred replica leads",
        () -> awaitLeader(cluster, t, 0) == preferred);
    beforeStop.run();
    int controller = cluster.controller().map(Broker::brokerId).orElse(-1);
    int follower = IntStream.range(0, 3)
        .filter(b -> b != preferred && b != controller).findFirst().orElseThrow();
    cluster.stopBroker(follower);
    return preferred;
  }

  static int awaitLeader(LocalCluster cluster, TopicDescription t, int partition) {
    String gid = t.getPartitions(partition).getRaftGroupId();
    int[] found = {-1};
    LocalCluster.waitFor(Duration.ofSeconds(30), "a leader for partition " + partition, () -> {
      for (Broker b : cluster.brokers()) {
        if (b.replicas().local(gid).map(Replica::isLeader).orElse(false)) {
          found[0] = b.brokerId();
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  static PartitionId partitionId(TopicDescription t, int partition) {
    return new PartitionId(UUID.fromString(t.getTopicId()), partition);
  }

  /** CRC of every stored batch (offset and bytes) of a replica: equal iff byte-identical. */
  static long checksum(PartitionStore s, PartitionId p) {
    CRC32C crc = new CRC32C();
    long offset = s.offsets(p).logStartOffset();
    long end = s.offsets(p).nextOffset();
    crc.update((offset + ":" + end).getBytes());
    while (offset < end) {
      for (PartitionStore.StoredBatch b : s.read(p, offset, 1 << 20)) {
        crc.update(Long.toString(b.baseOffset()).getBytes());
        crc.update(b.batch());
        offset = b.baseOffset() + b.recordCount();
      }
    }
    return crc.getValue();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends a produce request without waiting: concurrent requests, as a pipelining client has. */
  static CompletableFuture<ProduceResponse> produceAsync(LogServiceGrpc.LogServiceStub stub,
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
