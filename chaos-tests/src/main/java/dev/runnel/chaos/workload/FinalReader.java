package dev.runnel.chaos.workload;

import dev.runnel.chaos.cluster.ChaosCluster;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.ReplicaRead;
import dev.runnel.client.Admin;
import dev.runnel.client.PartitionInfo;
import dev.runnel.client.internals.record.DecodedBatch;
import dev.runnel.client.internals.record.RawRecord;
import dev.runnel.client.internals.record.RecordBatchCodec;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.LogServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * After healing: waits until every replica of every partition has the same committed end, then
 * reads each replica in full from its own broker (follower reads), for the checker to compare.
 */
public final class FinalReader {
  private static final int MAX_FETCHES = 100_000;

  private FinalReader() {}

  public static void readAll(ChaosCluster cluster, Admin admin, String topic, History history, Duration settle)
      throws InterruptedException {
    List<PartitionInfo> partitions = admin.describeTopic(topic).partitions();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<LogServiceGrpc.LogServiceBlockingStub> stubs = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        ManagedChannel ch = ManagedChannelBuilder.forTarget(cluster.clientAddress(i)).usePlaintext()
            .maxInboundMessageSize(64 << 20).build();
        channels.add(ch);
        stubs.add(LogServiceGrpc.newBlockingStub(ch));
      }
      for (PartitionInfo p : partitions) {
        awaitSameEnd(stubs, topic, p, settle);
        for (int broker : p.replicas()) {
          history.add(read(stubs.get(broker), topic, p.partition(), broker));
        }
      }
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  private static void awaitSameEnd(List<LogServiceGrpc.LogServiceBlockingStub> stubs, String topic,
      PartitionInfo p, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + settle.toNanos();
    java.util.Map<Integer, Long> byBroker = new java.util.TreeMap<>();
    while (System.nanoTime() < deadline) {
      Set<Long> ends = new HashSet<>();
      for (int broker : p.replicas()) {
        FetchedPartition f = fetch(stubs.get(broker), topic, p.partition(), Long.MAX_VALUE / 2, 1);
        ends.add(f == null ? -1 : f.getHighWatermark());
        byBroker.put(broker, f == null ? -1 : f.getHighWatermark());
      }
      if (ends.size() == 1 && !ends.contains(-1L)) {
        return;
      }
      Thread.sleep(200);
    }
    // Read anyway: the checker reports replicas that still differ; the log says where each stood.
    org.slf4j.LoggerFactory.getLogger(FinalReader.class).warn("{}-{}: replicas still at different ends after {}:"
        + " {} (broker -> committed end); leader per metadata: {}", topic, p.partition(), settle, byBroker,
        p.leaderId());
  }

  private static FetchedPartition fetch(LogServiceGrpc.LogServiceBlockingStub stub, String topic, int partition,
      long offset, int maxBytes) {
    try {
      return stub.withDeadlineAfter(10, TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().setAllowFollower(true)
          .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)
              .setMaxBytes(maxBytes)).build()).getPartitions(0);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static ReplicaRead read(LogServiceGrpc.LogServiceBlockingStub stub, String topic, int partition,
      int broker) {
    List<ReplicaRead.Stored> records = new ArrayList<>();
    CRC32C digest = new CRC32C();
    long logStart = -1;
    long offset = 0;
    try {
      for (int i = 0; i < MAX_FETCHES; i++) {
        FetchedPartition f = fetch(stub, topic, partition, offset, 4 << 20);
        if (f == null) {
          return failed(topic, partition, broker, "fetch failed at offset " + offset);
        }
        if (f.getError() == ErrorCode.OFFSET_OUT_OF_RANGE && offset == 0 && f.getLogStartOffset() > 0) {
          offset = f.getLogStartOffset();
          continue;
        }
        if (f.getError() != ErrorCode.ERROR_NONE) {
          return failed(topic, partition, broker, f.getError() + ": " + f.getErrorMessage());
        }
        if (logStart < 0) {
          logStart = f.getLogStartOffset();
        }
        if (f.getBatchesCount() == 0) {
          return new ReplicaRead(topic, partition, broker, logStart, records,
              Long.toHexString(digest.getValue()), null);
        }
        for (FetchedBatch b : f.getBatchesList()) {
          digest.update(Long.toString(b.getBaseOffset()).getBytes(StandardCharsets.UTF_8));
          digest.update(b.getBatch().asReadOnlyByteBuffer());
          DecodedBatch d = RecordBatchCodec.decode(b.getBatch(), true, 64 << 20);
          long o = b.getBaseOffset();
          for (RawRecord r : d.records()) {
            records.add(new ReplicaRead.Stored(o++, r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                new String(r.value(), StandardCharsets.UTF_8)));
          }
          offset = o;
        }
      }
      return failed(topic, partition, broker, "more than " + MAX_FETCHES + " fetches");
    } catch (RuntimeException e) {
      return failed(topic, partition, broker, e.toString());
    }
  }

  private static ReplicaRead failed(String topic, int partition, int broker, String why) {
    return new ReplicaRead(topic, partition, broker, -1, List.of(), "", why);
  }
}
