package dev.runnel.server.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.CreateTopic;
import dev.runnel.proto.internal.DeleteTopic;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.RegisterBroker;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.internal.TopicRemoved;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerCapacityTest {
  private final ClusterState state = new ClusterState(() -> 1_000L);
  private long index;

  @Test
  void countsGroupsNotPartitionsAndNamesTheFullBroker() {
    register(0, 4);
    register(1, 4);
    register(2, 0); // an older broker: no limit known
    // 6 partitions in 3 groups, each group on brokers 0 and 1, one also on 2.
    TopicRecord a = topic("a", 6, 3, List.of(List.of(0, 1), List.of(1, 0), List.of(0, 1, 2)));
    assertEquals(0, apply(create(a)));
    BrokerCapacity c = state.capacity();
    assertEquals(3, c.hosted(0));
    assertEquals(1, c.room(0));
    assertEquals(1, c.hosted(2));
    assertEquals(Integer.MAX_VALUE, c.room(2));
    assertEquals(List.of(2), c.withRoom(List.of(0, 1, 2), 2));
    assertEquals(List.of(0, 1, 2), c.withRoom(List.of(0, 1, 2), 1));

    TopicRecord b = topic("b", 2, 2, List.of(List.of(0), List.of(0)));
    String why = c.overflow(b).orElseThrow();
    assertTrue(why.contains("would put 2 more Raft group replicas on broker 0, which hosts 3 of at most 4"), why);
    assertTrue(why.contains("raft.max.group.replicas"), why);
    assertTrue(c.overflow(topic("c", 1, 1, List.of(List.of(0)))).isEmpty());
  }

  @Test
  void theReplicatedStateRefusesATopicThatOverfillsABroker() {
    register(0, 2);
    assertEquals(0, apply(create(topic("a", 2, 2, List.of(List.of(0), List.of(0))))));
    TopicRecord b = topic("b", 1, 1, List.of(List.of(0)));
    assertEquals(ErrorCode.BROKER_CAPACITY_EXCEEDED.getNumber(), apply(create(b)));
    assertTrue(state.topic("b").isEmpty());

    // A topic being deleted still holds its replicas; once removed everywhere, they are free.
    apply(MetadataCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder().setName("a")).build());
    assertEquals(ErrorCode.BROKER_CAPACITY_EXCEEDED.getNumber(), apply(create(b)));
    ByteString aId = state.allTopicRecords().get(0).getTopicId();
    apply(MetadataCommand.newBuilder().setTopicRemoved(TopicRemoved.newBuilder().setTopicId(aId)).build());
    assertEquals(0, apply(create(b)));
  }

  private void register(int id, int maxGroupReplicas) {
    apply(MetadataCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder().setBroker(
        BrokerRecord.newBuilder().setId(id).setHost("h").setMaxGroupReplicas(maxGroupReplicas))).build());
  }

  private int apply(MetadataCommand c) {
    return state.apply(new AppliedIndex(1, ++index), c).getError();
  }

  private static MetadataCommand create(TopicRecord t) {
    return MetadataCommand.newBuilder().setCreateTopic(CreateTopic.newBuilder().setTopic(t)).build();
  }

  /** Partition p in group p mod groups, which has the replicas {@code placement.get(p mod groups)}. */
  private static TopicRecord topic(String name, int partitions, int groups, List<List<Integer>> placement) {
    UUID id = UUID.randomUUID();
    TopicRecord.Builder t = TopicRecord.newBuilder().setName(name)
        .setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(id)))
        .setReplicationFactor(placement.get(0).size());
    for (int p = 0; p < partitions; p++) {
      t.addPartitions(PartitionAssignment.newBuilder().setPartition(p)
          .addAllReplicas(placement.get(p % groups)).setRaftGroupId(id + "/" + (p % groups)));
    }
    return t.build();
  }
}
