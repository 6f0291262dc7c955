package dev.runnel.server.service;

import dev.runnel.proto.internal.AllocateProducerId;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.BrokerDescription;
import dev.runnel.proto.v1.BrokerInfo;
import dev.runnel.proto.v1.DescribeClusterResponse;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.InitProducerResponse;
import dev.runnel.proto.v1.MetadataRequest;
import dev.runnel.proto.v1.MetadataResponse;
import dev.runnel.proto.v1.PartitionMetadata;
import dev.runnel.proto.v1.TopicMetadata;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.metadata.ClusterState;
import dev.runnel.server.metadata.MetadataClient;
import dev.runnel.server.service.TopicDirectory.Target;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/** Metadata, DescribeCluster and InitProducer: answered from this broker's copy of the metadata. */
public final class ClusterInfoHandler {
  private final ClusterState state;
  private final TopicDirectory topics;
  private final MetadataClient metadata;
  private final long sessionTimeoutMs;
  private final IntSupplier controllerId;

  public ClusterInfoHandler(ClusterState state, TopicDirectory topics, MetadataClient metadata,
      long sessionTimeoutMs, IntSupplier controllerId) {
    this.state = state;
    this.topics = topics;
    this.metadata = metadata;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.controllerId = controllerId;
  }

  public MetadataResponse metadata(MetadataRequest req) {
    MetadataResponse.Builder r = MetadataResponse.newBuilder().setClusterId(state.clusterId())
        .setControllerId(controllerId.getAsInt()).setMetadataVersion(state.applied().index());
    for (BrokerRecord b : state.brokers()) {
      r.addBrokers(BrokerInfo.newBuilder().setId(b.getId()).setHost(b.getHost())
          .setPort(b.getClientPort()).setRack(b.getRack()).setAlive(state.isAlive(b.getId(), sessionTimeoutMs)));
    }
    List<String> names = req.getTopicsList().isEmpty()
        ? state.liveTopics().stream().map(TopicRecord::getName).toList() : req.getTopicsList();
    for (String name : names) {
      Optional<TopicRecord> t = state.topic(name);
      if (t.isEmpty()) {
        r.addTopics(TopicMetadata.newBuilder().setName(name).setError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        continue;
      }
      r.addTopics(topicMetadata(t.get()));
    }
    return r.build();
  }

  private TopicMetadata topicMetadata(TopicRecord t) {
    TopicMetadata.Builder tm = TopicMetadata.newBuilder().setName(t.getName())
        .setTopicId(PartitionId.topicIdFromBytes(t.getTopicId().toByteArray()).toString());
    for (PartitionAssignment p : t.getPartitionsList()) {
      Target target = topics.resolve(t, p.getPartition());
      tm.addPartitions(PartitionMetadata.newBuilder().setPartition(p.getPartition())
          .setLeaderId(topics.leaderOf(target)).setLeaderEpoch(topics.leaderEpochOf(target))
          .addAllReplicas(p.getReplicasList()));
    }
    return tm.build();
  }

  public DescribeClusterResponse describeCluster() {
    DescribeClusterResponse.Builder r = DescribeClusterResponse.newBuilder()
        .setClusterId(state.clusterId()).setControllerId(controllerId.getAsInt())
        .setMetadataVersion(state.applied().index());
    for (BrokerRecord b : state.brokers()) {
      int replicas = 0;
      int leaders = 0;
      int stopped = 0;
      Set<String> stoppedGroups = state.stoppedGroups(b.getId());
      for (TopicRecord t : state.liveTopics()) {
        for (PartitionAssignment p : t.getPartitionsList()) {
          if (p.getReplicasList().contains(b.getId())) {
            replicas++;
            Target target = topics.resolve(t, p.getPartition());
            if (topics.leaderOf(target) == b.getId()) {
              leaders++;
            }
            if (stoppedGroups.contains(target.groupId())) {
              stopped++;
            }
          }
        }
      }
      r.addBrokers(BrokerDescription.newBuilder().setId(b.getId()).setHost(b.getHost())
          .setPort(b.getClientPort()).setRack(b.getRack())
          .setAlive(state.isAlive(b.getId(), sessionTimeoutMs))
          .setControllerEligible(b.getControllerEligible()).setReplicaCount(replicas)
          .setLeaderCount(leaders).setStoppedReplicaCount(stopped));
    }
    return r.build();
  }

  public CompletableFuture<InitProducerResponse> initProducer() {
    return metadata.submit(MetadataCommand.newBuilder()
            .setAllocateProducerId(AllocateProducerId.getDefaultInstance()).build())
        .thenApply(r -> InitProducerResponse.newBuilder().setProducerId(r.getProducerId())
            .setProducerEpoch(0).build());
  }
}
