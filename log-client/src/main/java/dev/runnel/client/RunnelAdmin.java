package dev.runnel.client;

import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.admin.AdminCaller;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.producer.Backoff;
import dev.runnel.proto.v1.AlterTopicConfigRequest;
import dev.runnel.proto.v1.BrokerDescription;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.DeleteTopicRequest;
import dev.runnel.proto.v1.DescribeClusterRequest;
import dev.runnel.proto.v1.DescribeClusterResponse;
import dev.runnel.proto.v1.DescribeTopicRequest;
import dev.runnel.proto.v1.ListTopicsRequest;
import dev.runnel.proto.v1.PartitionDescription;
import dev.runnel.proto.v1.TopicSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;

/** The Runnel admin client over {@code AdminService}. See {@link Admin} for the contract. */
public final class RunnelAdmin implements Admin {
  /** Admin answers are small. */
  private static final int MAX_INBOUND_BYTES = 16 << 20;

  private final AdminConfig config;
  private final ChannelPool channels;
  private final AdminCaller caller;

  public RunnelAdmin(AdminConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.channels = new ChannelPool(MAX_INBOUND_BYTES, config.clientId());
    this.caller = new AdminCaller(config.bootstrapServers(), channels, config.requestTimeoutMs(),
        new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs(), new Random()), Time.SYSTEM);
  }

  public RunnelAdmin(Properties props) {
    this(new AdminConfig(props));
  }

  @Override
  public TopicDescription createTopic(String name, int partitions, int replicationFactor,
      Map<String, String> configs) {
    Objects.requireNonNull(name, "name");
    CreateTopicRequest req = CreateTopicRequest.newBuilder().setName(name).setPartitions(partitions)
        .setReplicationFactor(replicationFactor).putAllConfigs(configs)
        .setTimeoutMs(config.requestTimeoutMs()).build();
    return toDescription(caller.call("CreateTopic '" + name + "'", config.defaultApiTimeoutMs(),
        config.requestTimeoutMs(), stub -> stub.createTopic(req)).getTopic());
  }

  @Override
  public void deleteTopic(String name) {
    Objects.requireNonNull(name, "name");
    caller.call("DeleteTopic '" + name + "'", config.defaultApiTimeoutMs(), 0,
        stub -> stub.deleteTopic(DeleteTopicRequest.newBuilder().setName(name).build()));
  }

  @Override
  public List<TopicListing> listTopics() {
    List<TopicListing> out = new ArrayList<>();
    for (TopicSummary t : caller.call("ListTopics", config.defaultApiTimeoutMs(), 0,
        stub -> stub.listTopics(ListTopicsRequest.getDefaultInstance())).getTopicsList()) {
      out.add(new TopicListing(t.getName(), t.getTopicId(), t.getPartitions(), t.getReplicationFactor()));
    }
    return out;
  }

  @Override
  public TopicDescription describeTopic(String name) {
    Objects.requireNonNull(name, "name");
    return toDescription(caller.call("DescribeTopic '" + name + "'", config.defaultApiTimeoutMs(), 0,
        stub -> stub.describeTopic(DescribeTopicRequest.newBuilder().setName(name).build())));
  }

  @Override
  public TopicDescription addPartitions(String name, int totalPartitions) {
    Objects.requireNonNull(name, "name");
    return toDescription(caller.call("AddPartitions '" + name + "'", config.defaultApiTimeoutMs(), 0,
        stub -> stub.addPartitions(dev.runnel.proto.v1.AddPartitionsRequest.newBuilder().setName(name)
            .setTotalPartitions(totalPartitions).build())));
  }

  @Override
  public Map<String, String> alterTopicConfig(String name, Map<String, String> set,
      Collection<String> remove) {
    Objects.requireNonNull(name, "name");
    AlterTopicConfigRequest req = AlterTopicConfigRequest.newBuilder().setName(name).putAllSet(set)
        .addAllRemove(remove).build();
    return Map.copyOf(caller.call("AlterTopicConfig '" + name + "'", config.defaultApiTimeoutMs(), 0,
        stub -> stub.alterTopicConfig(req)).getConfigsMap());
  }

  @Override
  public ClusterDescription describeCluster() {
    DescribeClusterResponse r = caller.call("DescribeCluster", config.defaultApiTimeoutMs(), 0,
        stub -> stub.describeCluster(DescribeClusterRequest.getDefaultInstance()));
    List<BrokerNode> brokers = new ArrayList<>();
    for (BrokerDescription b : r.getBrokersList()) {
      brokers.add(new BrokerNode(b.getId(), b.getHost(), b.getPort(), b.getRack(), b.getAlive(),
          b.getControllerEligible(), b.getReplicaCount(), b.getLeaderCount(),
          b.getStoppedReplicaCount()));
    }
    return new ClusterDescription(r.getClusterId(), r.getControllerId(), brokers,
        r.getMetadataVersion());
  }

  private static TopicDescription toDescription(dev.runnel.proto.v1.TopicDescription t) {
    List<PartitionInfo> parts = new ArrayList<>();
    for (PartitionDescription p : t.getPartitionsList()) {
      parts.add(new PartitionInfo(t.getName(), p.getPartition(), p.getLeaderId(), p.getLeaderEpoch(),
          p.getReplicasList(), p.getLogStartOffset(), p.getLogEndOffset(), p.getRaftGroupId(),
          p.getDamagedReplicasList().stream().collect(java.util.stream.Collectors.toMap(
              dev.runnel.proto.v1.DamagedReplica::getBrokerId, dev.runnel.proto.v1.DamagedReplica::getReason,
              (a, b) -> a))));
    }
    parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return new TopicDescription(t.getName(), t.getTopicId(), t.getReplicationFactor(),
        t.getConfigsMap(), parts);
  }

  @Override
  public void close() {
    channels.close(Duration.ofSeconds(5));
  }
}
