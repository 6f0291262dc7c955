package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.ListOffsetsPartition;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets its own ErrorCode and a message naming the problem, stores nothing,
 * and leaves the broker serving.
 */
class BadInputTest {
  @TempDir static Path dir;
  static LocalCluster cluster;
  static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(1, dir, Map.of("max.record.bytes", "1024", "max.batch.bytes", "65536",
        "raft.log.write.buffer.bytes", "1048576", "max.request.bytes", "1048576"));
    client = new TestClient(cluster.bootstrap());
    ClusterFixture.createTopic(client, "good", 1, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    cluster.close();
  }

  @BeforeEach
  void storeOneRecord() {
    // Retries while a leader is elected: a loaded CI machine can delay the first election.
    ProduceResult r = ClusterFixture.produce(cluster, "good", 0, Batches.values("ok").toByteString());
    assertEquals(ErrorCode.ERROR_NONE, r.getError(), r.toString());
  }

  @Test
  void unknownTopic() {
    long before = latest();
    ProduceResult r = produce("nope", 0, Batches.values("x").toByteString());
    assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, r.getError());
    assertTrue(r.getErrorMessage().contains("nope"), r.getErrorMessage());
    assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, produce("good", 7, Batches.values("x").toByteString()).getError());
    assertEquals(before, latest());
  }

  @Test
  void invalidTopicNames() {
    for (String name : List.of("", ".", "..", "has space", "a/b", "x".repeat(250))) {
      ErrorDetail d = adminError(() -> client.admin().createTopic(
          CreateTopicRequest.newBuilder().setName(name).setPartitions(1).setReplicationFactor(1).build()));
      assertEquals(ErrorCode.INVALID_TOPIC, d.getCode(), name);
    }
  }

  @Test
  void replicationFactorAboveLiveBrokersAndBadPartitionCounts() {
    assertEquals(ErrorCode.INVALID_REPLICATION_FACTOR, adminError(() -> client.admin().createTopic(
        CreateTopicRequest.newBuilder().setName("rf").setPartitions(1).setReplicationFactor(3).build())).getCode());
    assertEquals(ErrorCode.INVALID_PARTITIONS, adminError(() -> client.admin().createTopic(
        CreateTopicRequest.newBuilder().setName("p").setPartitions(-1).setReplicationFactor(1).build())).getCode());
    assertEquals(ErrorCode.INVALID_PARTITIONS, adminError(() -> client.admin().createTopic(
        CreateTopicRequest.newBuilder().setName("p").setPartitions(5000).setReplicationFactor(1).build())).getCode());
    assertEquals(ErrorCode.INVALID_CONFIG, adminError(() -> client.admin().createTopic(
        CreateTopicRequest.newBuilder().setName("c").setPartitions(1).setReplicationFactor(1)
            .putConfigs("retention.msec", "1").build())).getCode());
    assertEquals(ErrorCode.TOPIC_ALREADY_EXISTS, adminError(() -> client.admin().createTopic(
        CreateTopicRequest.newBuilder().setName("good").setPartitions(1).setReplicationFactor(1).build())).getCode());
  }

  @Test
  void offsetsOutOfRange() {
    long end = latest();
    for (long offset : new long[] {-1, end + 1, Long.MAX_VALUE}) {
      FetchedPartition p = client.log().fetch(FetchRequest.newBuilder().addPartitions(FetchPartition.newBuilder()
          .setTopic("good").setPartition(0).setOffset(offset)).build()).getPartitions(0);
      assertEquals(ErrorCode.OFFSET_OUT_OF_RANGE, p.getError(), "offset " + offset);
      assertTrue(p.getErrorMessage().contains("[0, " + end + "]"), p.getErrorMessage());
    }
  }

  @Test
  void oversizedRecordAndBatch() {
    long before = latest();
    ProduceResult r = produce("good", 0, Batches.values("v".repeat(2000)).toByteString());
    assertEquals(ErrorCode.RECORD_TOO_LARGE, r.getError(), r.toString());
    String[] many = new String[100];
    java.util.Arrays.fill(many, "w".repeat(1000));
    assertEquals(ErrorCode.BATCH_TOO_LARGE, produce("good", 0, Batches.values(many).toByteString()).getError());
    assertEquals(before, latest());
  }

  /**
   * Thousands of tiny batches in one request (their framing in a Raft entry is about as large as the
   * batches) are split into several entries and stored whole, each batch with its own offsets.
   * Entries are cut by batch bytes plus framing; where that matters, many requests' tiny batches
   * merged by group commit, {@code GroupCommitTest} checks entry sizes exactly.
   */
  @Test
  void aRequestOfThousandsOfTinyBatchesIsStoredWhole() {
    long before = latest();
    ByteString tiny = Batches.values("").toByteString();
    int count = 5_000;
    ProduceRequest.Builder req = ProduceRequest.newBuilder();
    for (int i = 0; i < count; i++) {
      req.addBatches(PartitionBatch.newBuilder().setTopic("good").setPartition(0).setBatch(tiny));
    }
    assertTrue(count * (long) tiny.size() > 64 << 10, "more than one entry's worth of batches");
    java.util.Set<Long> offsets = new java.util.HashSet<>();
    for (ProduceResult r : client.log().produce(req.build()).getResultsList()) {
      assertEquals(ErrorCode.ERROR_NONE, r.getError(), r.toString());
      offsets.add(r.getBaseOffset());
    }
    assertEquals(count, offsets.size());
    assertEquals(before + count, latest());
  }

  @Test
  void oversizedRequestIsRefusedByTheTransport() {
    ByteString huge = ByteString.copyFrom(new byte[2 << 20]);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.log().produce(
        ProduceRequest.newBuilder().addBatches(PartitionBatch.newBuilder().setTopic("good").setPartition(0)
            .setBatch(huge)).build()));
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
  }

  @Test
  void corruptBatches() {
    long before = latest();
    RecordBatch good = Batches.values("a", "b");
    assertEquals(ErrorCode.CORRUPT_BATCH, produce("good", 0,
        good.toBuilder().setCrc(good.getCrc() ^ 1).build().toByteString()).getError());
    assertEquals(ErrorCode.CORRUPT_BATCH, produce("good", 0, ByteString.copyFromUtf8("not a batch at all")).getError());
    assertEquals(ErrorCode.CORRUPT_BATCH, produce("good", 0,
        good.toBuilder().setRecordCount(0).build().toByteString()).getError());
    assertEquals(ErrorCode.CORRUPT_BATCH, produce("good", 0,
        good.toBuilder().setFormatVersion(9).build().toByteString()).getError());
    assertEquals(before, latest());
    // Still healthy: a good batch goes right after.
    assertEquals(before, ClusterFixture.produce(cluster, "good", 0, good.toByteString()).getBaseOffset());
  }

  private static ProduceResult produce(String topic, int partition, ByteString batch) {
    return client.log().produce(ProduceRequest.newBuilder().addBatches(PartitionBatch.newBuilder()
        .setTopic(topic).setPartition(partition).setBatch(batch)).build()).getResults(0);
  }

  private static long latest() {
    for (int attempt = 0; attempt < 100; attempt++) {
      var r = client.log().listOffsets(ListOffsetsRequest.newBuilder().addPartitions(ListOffsetsPartition
          .newBuilder().setTopic("good").setPartition(0).setTimestampMs(-1)).build()).getResults(0);
      if (r.getError() == ErrorCode.ERROR_NONE) {
        return r.getOffset();
      }
      ClusterFixture.sleep(100);
    }
    throw new AssertionError("no leader for 'good' within 10 s");
  }

  private static ErrorDetail adminError(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    try {
      ErrorDetail d = s.getDetails(0).unpack(ErrorDetail.class);
      assertTrue(!d.getMessage().isEmpty());
      return d;
    } catch (Exception ex) {
      throw new AssertionError("no ErrorDetail in " + e, ex);
    }
  }
}
