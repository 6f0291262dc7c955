package dev.runnel.server.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.BrokerHeartbeat;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.CreateTopic;
import dev.runnel.proto.internal.DamageRecord;
import dev.runnel.proto.internal.DeleteTopic;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.MetadataReply;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.PartitionKey;
import dev.runnel.proto.internal.RegisterBroker;
import dev.runnel.proto.internal.ReplicaRepaired;
import dev.runnel.proto.internal.ReportDamage;
import dev.runnel.proto.internal.ReportLeader;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import java.util.List;
import java.util.Set;
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

  @Test
  void partitionsSharingAGroupShareItsLeaderAndDamage() {
    ClusterState s = new ClusterState(clock::get);
    UUID id = UUID.randomUUID();
    TopicRecord.Builder t = TopicRecord.newBuilder().setName("t")
        .setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(id))).setReplicationFactor(1);
    for (int p = 0; p < 6; p++) {
      t.addPartitions(PartitionAssignment.newBuilder().setPartition(p).addReplicas(p % 3)
          .setRaftGroupId("g" + (p % 3)));
    }
    apply(s, MetadataCommand.newBuilder().setCreateTopic(CreateTopic.newBuilder().setTopic(t)).build());

    assertEquals(List.of("g0", "g1", "g2"),
        ClusterState.groupsOf(s.topic("t").orElseThrow()).stream().map(PartitionAssignment::getRaftGroupId).toList());
    assertEquals(new PartitionId(id, 1), s.partitionOfGroup("g1").orElseThrow(), "anchor = first partition");
    assertEquals(List.of(new PartitionId(id, 1), new PartitionId(id, 4)), s.partitionsOfGroup("g1"));
    assertEquals(List.of(), s.partitionsOfGroup("unknown"));

    // A report for any partition of a group is the group's; every partition of it sees it.
    apply(s, MetadataCommand.newBuilder().setReportLeader(ReportLeader.newBuilder()
        .setPartition(key(id, 4)).setLeaderId(1).setTerm(7)).build());
    assertEquals(1, s.leader(new PartitionId(id, 1)).orElseThrow().getLeaderId());
    assertEquals(1, s.leader(new PartitionId(id, 4)).orElseThrow().getLeaderId());
    assertTrue(s.leader(new PartitionId(id, 0)).isEmpty());

    apply(s, MetadataCommand.newBuilder().setReportDamage(ReportDamage.newBuilder().setDamage(
        DamageRecord.newBuilder().setPartition(key(id, 5)).setBrokerId(2).setReason("bit flip"))).build());
    assertEquals(Set.of(2), s.damaged(new PartitionId(id, 2)).keySet());
    assertEquals(Set.of(new PartitionId(id, 2)), s.allDamaged().keySet());
    assertEquals(1, s.damagedReplicaCount(), "one damaged group replica, not one per partition");
    apply(s, MetadataCommand.newBuilder().setReplicaRepaired(ReplicaRepaired.newBuilder()
        .setPartition(key(id, 2)).setBrokerId(2)).build());
    assertTrue(s.damaged(new PartitionId(id, 5)).isEmpty());

    ClusterState copy = new ClusterState(clock::get);
    copy.load(s.toSnapshot());
    assertEquals(new PartitionId(id, 1), copy.partitionOfGroup("g1").orElseThrow());
    assertEquals(1, copy.leader(new PartitionId(id, 4)).orElseThrow().getLeaderId());
  }

  private static PartitionKey key(UUID topicId, int partition) {
    return PartitionKey.newBuilder().setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(topicId)))
        .setPartition(partition).build();
  }

  @Test
  void heartbeatsCarryTheGroupsABrokerHoldsStoppedAndTheLastOneCounts() {
    ClusterState s = new ClusterState(clock::get);
    MetadataCommand register = MetadataCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder()
        .setBroker(BrokerRecord.newBuilder().setId(2).setHost("h"))).build();
    apply(s, register);
    assertEquals(Set.of(), s.stoppedGroups(2));
    apply(s, heartbeat(2, "g1", "g2"));
    assertEquals(Set.of("g1", "g2"), s.stoppedGroups(2));
    assertEquals(Set.of(), s.stoppedGroups(3), "another broker's");
    apply(s, heartbeat(2, "g2"));
    assertEquals(Set.of("g2"), s.stoppedGroups(2), "g1 restarted");
    apply(s, heartbeat(2));
    assertEquals(Set.of(), s.stoppedGroups(2));
    apply(s, heartbeat(2, "g3"));
    apply(s, register);
    assertEquals(Set.of(), s.stoppedGroups(2), "a new start holds nothing stopped until it says so");
    assertEquals(ErrorCode.BROKER_NOT_AVAILABLE.getNumber(), apply(s, heartbeat(9, "g")).getError());
    assertEquals(Set.of(), s.stoppedGroups(9), "an unregistered broker's heartbeat is refused");
  }

  private static MetadataCommand heartbeat(int broker, String... stopped) {
    return MetadataCommand.newBuilder().setHeartbeat(BrokerHeartbeat.newBuilder().setBrokerId(broker)
        .addAllStoppedGroups(List.of(stopped))).build();
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
