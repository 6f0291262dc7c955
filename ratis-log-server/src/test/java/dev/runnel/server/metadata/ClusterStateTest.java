package dev.runnel.server.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.CreateTopic;
import dev.runnel.proto.internal.DeleteTopic;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.MetadataReply;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.RegisterBroker;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private long index;

  @Test
  void duplicateTopicNamesAreRejectedDeterministically() {
    ClusterState s = new ClusterState(clock::get);
    assertEquals(0, apply(s, create("t", UUID.randomUUID())).getError());
    MetadataReply dup = apply(s, create("t", UUID.randomUUID()));
    assertEquals(ErrorCode.TOPIC_ALREADY_EXISTS.getNumber(), dup.getError());
  }

  @Test
  void deletedTopicsStayAsTombstonesAndTheNameCanBeReused() {
    ClusterState s = new ClusterState(clock::get);
    UUID first = UUID.randomUUID();
    apply(s, create("t", first));
    apply(s, MetadataCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder().setName("t")).build());
    assertTrue(s.topic("t").isEmpty());
    assertTrue(s.topic(first).orElseThrow().getDeleting());
    assertEquals(0, apply(s, create("t", UUID.randomUUID())).getError());
    assertEquals(2, s.allTopicRecords().size());
  }

  @Test
  void snapshotRoundTripsTheWholeState() {
    ClusterState s = new ClusterState(clock::get);
    apply(s, MetadataCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder()
        .setBroker(BrokerRecord.newBuilder().setId(3).setHost("h"))).build());
    apply(s, create("t", UUID.randomUUID()));
    ClusterState copy = new ClusterState(clock::get);
    copy.load(s.toSnapshot());
    assertEquals(s.toSnapshot(), copy.toSnapshot());
  }

  @Test
  void livenessFollowsHeartbeatsAfterAGracePeriod() {
    ClusterState s = new ClusterState(clock::get);
    apply(s, MetadataCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder()
        .setBroker(BrokerRecord.newBuilder().setId(1))).build());
    assertTrue(s.isAlive(1, 500));
    clock.addAndGet(501);
    assertFalse(s.isAlive(1, 500));
    assertFalse(s.isAlive(9, 500), "unknown brokers are never alive");
  }

  private MetadataReply apply(ClusterState s, MetadataCommand c) {
    return s.apply(new AppliedIndex(1, ++index), c);
  }

  private static MetadataCommand create(String name, UUID id) {
    return MetadataCommand.newBuilder().setCreateTopic(CreateTopic.newBuilder().setTopic(TopicRecord.newBuilder()
        .setName(name).setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(id))).setReplicationFactor(1)
        .addPartitions(PartitionAssignment.newBuilder().setPartition(0).addReplicas(0).setRaftGroupId(
            UUID.randomUUID().toString())))).build();
  }
}
