package dev.runnel.server.service;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.AlterTopicConfig;
import dev.runnel.proto.internal.CreateTopic;
import dev.runnel.proto.internal.DeleteTopic;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.AlterTopicConfigRequest;
import dev.runnel.proto.v1.AlterTopicConfigResponse;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ListOffsetsPartition;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.ListOffsetsResult;
import dev.runnel.proto.v1.ListTopicsResponse;
import dev.runnel.proto.v1.DamagedReplica;
import dev.runnel.proto.v1.PartitionDescription;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.proto.v1.TopicSummary;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.metadata.BrokerCapacity;
import dev.runnel.server.metadata.ClusterState;
import dev.runnel.server.metadata.MetadataClient;
import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.service.TopicDirectory.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Topic administration. Intent (the topic record with its placement) is written to the metadata
 * log first; the controller then creates the Raft groups. CreateTopic waits for every partition to
 * report a leader so a client can produce as soon as it returns.
 */
public final class AdminHandler {
  private final ServerConfig config;
  private final ClusterState state;
  private final MetadataClient metadata;
  private final TopicDirectory topics;
  private final OffsetsHandler offsets;
  private final ScheduledExecutorService timer;
  private final Random random;
  private final Runnable pokeController;

  public AdminHandler(ServerConfig config, ClusterState state, MetadataClient metadata,
      TopicDirectory topics, OffsetsHandler offsets, ScheduledExecutorService timer, Random random,
      Runnable pokeController) {
    this.config = config;
    this.state = state;
    this.metadata = metadata;
    this.topics = topics;
    this.offsets = offsets;
    this.timer = timer;
    this.random = random;
    this.pokeController = pokeController;
  }

  public CompletableFuture<TopicDescription> createTopic(CreateTopicRequest req) {
    TopicNames.validate(req.getName());
    int partitions = req.getPartitions() == 0 ? config.numPartitions() : req.getPartitions();
    if (partitions < 1 || partitions > config.maxPartitionsPerTopic()) {
      throw new ServiceException(ErrorCode.INVALID_PARTITIONS, "partitions must be 1.."
          + config.maxPartitionsPerTopic() + " (max.partitions.per.topic), got " + partitions);
    }
    List<Integer> live = state.liveBrokerIds(config.sessionTimeout().toMillis());
    int rf = req.getReplicationFactor() == 0
        ? Math.min(config.defaultReplicationFactor(), Math.max(1, live.size())) : req.getReplicationFactor();
    if (rf < 1 || rf > live.size()) {
      throw new ServiceException(ErrorCode.INVALID_REPLICATION_FACTOR, "replication factor must be 1.."
          + live.size() + " (the live brokers), got " + rf);
    }
    TopicConfigs.validate(req.getConfigsMap(), config);
    if (state.topic(req.getName()).isPresent()) {
      throw new ServiceException(ErrorCode.TOPIC_ALREADY_EXISTS, "topic '" + req.getName() + "' already exists");
    }
    UUID topicId = new UUID(random.nextLong(), random.nextLong());
    TopicRecord.Builder t = TopicRecord.newBuilder().setName(req.getName())
        .setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(topicId)))
        .setReplicationFactor(rf).putAllConfigs(req.getConfigsMap());
    // Partition p joins group p mod n: groups, not partitions, are what Raft replicates (one log,
    // leader and fsync stream each), so the group count sets the topic's replication cost.
    int groups = Math.min(partitions, config.raftGroupsPerTopic());
    List<Integer> hosts = roomFor(req.getName(), live, groups, rf);
    List<List<Integer>> placement = Placement.assign(hosts, groups, rf, random.nextInt(hosts.size()));
    for (int p = 0; p < partitions; p++) {
      t.addPartitions(PartitionAssignment.newBuilder().setPartition(p)
          .addAllReplicas(placement.get(p % groups))
          .setRaftGroupId(GroupIds.forTopicGroup(topicId, p % groups).getUuid().toString()));
    }
    long timeoutMs = req.getTimeoutMs() > 0 ? req.getTimeoutMs() : config.requestTimeoutMs();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return metadata.submitCommitted(MetadataCommand.newBuilder().setCreateTopic(CreateTopic.newBuilder().setTopic(t)).build())
        .thenCompose(c -> awaitApplied(c, deadline))
        .thenCompose(reply -> {
          pokeController.run();
          return awaitLeaders(reply.getTopic(), deadline);
        })
        .thenCompose(this::describe);
  }

  /**
   * The live brokers with room for all of a new topic's groups (a broker may host each of them);
   * refuses the topic when fewer than {@code rf} have, rather than create groups that cannot open.
   */
  private List<Integer> roomFor(String topic, List<Integer> live, int groups, int rf) {
    BrokerCapacity capacity = state.capacity();
    List<Integer> hosts = capacity.withRoom(live, groups);
    if (hosts.size() >= rf) {
      return hosts;
    }
    StringBuilder why = new StringBuilder();
    for (int b : live.stream().sorted().toList()) {
      why.append(why.length() == 0 ? "" : ", ").append("broker ").append(b).append(" hosts ")
          .append(capacity.describe(b));
    }
    throw new ServiceException(ErrorCode.BROKER_CAPACITY_EXCEEDED, "topic '" + topic + "' needs "
        + groups + " Raft group replica(s) on each of " + rf + " brokers, but only " + hosts.size()
        + " of the " + live.size() + " live brokers have room (" + why + "); "
        + BrokerCapacity.REMEDY);
  }

  /**
   * Completes once this broker's copy of the metadata includes the committed command, so whatever
   * the client asks this broker next sees its own change (read-your-writes).
   */
  private CompletableFuture<dev.runnel.proto.internal.MetadataReply> awaitApplied(
      MetadataClient.Committed c, long deadlineNanos) {
    if (state.applied().index() >= c.index() || System.nanoTime() > deadlineNanos) {
      return CompletableFuture.completedFuture(c.reply());
    }
    CompletableFuture<dev.runnel.proto.internal.MetadataReply> next = new CompletableFuture<>();
    timer.schedule(() -> awaitApplied(c, deadlineNanos).whenComplete((v, e) -> {
      if (e != null) {
        next.completeExceptionally(e);
      } else {
        next.complete(v);
      }
    }), 10, TimeUnit.MILLISECONDS);
    return next;
  }

  private CompletableFuture<TopicRecord> awaitLeaders(TopicRecord t, long deadlineNanos) {
    boolean all = t.getPartitionsList().stream()
        .allMatch(p -> topics.leaderOf(topics.resolve(t, p.getPartition())) >= 0);
    if (all || System.nanoTime() > deadlineNanos) {
      return CompletableFuture.completedFuture(t);
    }
    CompletableFuture<TopicRecord> next = new CompletableFuture<>();
    timer.schedule(() -> awaitLeaders(t, deadlineNanos).whenComplete((v, e) -> {
      if (e != null) {
        next.completeExceptionally(e);
      } else {
        next.complete(v);
      }
    }), 50, TimeUnit.MILLISECONDS);
    return next;
  }

  public CompletableFuture<TopicDescription> addPartitions(String name, int total) {
    TopicRecord t = topics.topic(name);
    int current = t.getPartitionsCount();
    if (total <= current || total > config.maxPartitionsPerTopic()) {
      throw new ServiceException(ErrorCode.INVALID_PARTITIONS, "topic '" + name + "' has " + current
          + " partitions; the new total must be " + (current + 1) + ".." + config.maxPartitionsPerTopic()
          + ", got " + total);
    }
    // New partitions join the topic's existing groups round robin: no group is created, so adding
    // partitions needs no live broker beyond each group's quorum.
    dev.runnel.proto.internal.AddPartitions.Builder add = dev.runnel.proto.internal.AddPartitions
        .newBuilder().setTopicId(t.getTopicId()).setExpectedCount(current);
    for (int p = current; p < total; p++) {
      add.addPartitions(t.getPartitions(p % current).toBuilder().setPartition(p));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
    return metadata.submitCommitted(MetadataCommand.newBuilder().setAddPartitions(add).build())
        .thenCompose(c -> awaitApplied(c, deadline))
        .thenCompose(reply -> {
          pokeController.run();
          return awaitLeaders(reply.getTopic(), deadline);
        })
        .thenCompose(this::describe);
  }

  public CompletableFuture<Void> deleteTopic(String name) {
    TopicRecord t = topics.topic(name);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
    return metadata.submitCommitted(MetadataCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder()
            .setName(name).setTopicId(t.getTopicId())).build())
        .thenCompose(c -> awaitApplied(c, deadline)).thenRun(pokeController);
  }

  public ListTopicsResponse listTopics() {
    ListTopicsResponse.Builder r = ListTopicsResponse.newBuilder();
    for (TopicRecord t : state.liveTopics()) {
      r.addTopics(TopicSummary.newBuilder().setName(t.getName())
          .setTopicId(PartitionId.topicIdFromBytes(t.getTopicId().toByteArray()).toString())
          .setPartitions(t.getPartitionsCount()).setReplicationFactor(t.getReplicationFactor()));
    }
    return r.build();
  }

  public CompletableFuture<TopicDescription> describeTopic(String name) {
    return describe(topics.topic(name));
  }

  private CompletableFuture<TopicDescription> describe(TopicRecord t) {
    ListOffsetsRequest.Builder earliest = ListOffsetsRequest.newBuilder();
    ListOffsetsRequest.Builder latest = ListOffsetsRequest.newBuilder();
    for (PartitionAssignment p : t.getPartitionsList()) {
      earliest.addPartitions(ListOffsetsPartition.newBuilder().setTopic(t.getName())
          .setPartition(p.getPartition()).setTimestampMs(OffsetsHandler.EARLIEST));
      latest.addPartitions(ListOffsetsPartition.newBuilder().setTopic(t.getName())
          .setPartition(p.getPartition()).setTimestampMs(OffsetsHandler.LATEST));
    }
    CompletableFuture<ListOffsetsResponse> e = offsets.listOffsets(earliest.build(), false);
    CompletableFuture<ListOffsetsResponse> l = offsets.listOffsets(latest.build(), false);
    return e.thenCombine(l, (es, ls) -> {
      Map<Integer, Long> start = byPartition(es);
      Map<Integer, Long> end = byPartition(ls);
      TopicDescription.Builder d = TopicDescription.newBuilder().setName(t.getName())
          .setTopicId(PartitionId.topicIdFromBytes(t.getTopicId().toByteArray()).toString())
          .setReplicationFactor(t.getReplicationFactor())
          .putAllConfigs(TopicConfigs.effective(t, config));
      for (PartitionAssignment p : t.getPartitionsList()) {
        Target target = topics.resolve(t, p.getPartition());
        d.addPartitions(PartitionDescription.newBuilder().setPartition(p.getPartition())
            .addAllReplicas(p.getReplicasList()).setLeaderId(topics.leaderOf(target))
            .setLeaderEpoch(topics.leaderEpochOf(target))
            .setLogStartOffset(start.getOrDefault(p.getPartition(), -1L))
            .setLogEndOffset(end.getOrDefault(p.getPartition(), -1L))
            .setRaftGroupId(p.getRaftGroupId())
            .addAllDamagedReplicas(state.damaged(target.id()).values().stream()
                .sorted(java.util.Comparator.comparingInt(dev.runnel.proto.internal.DamageRecord::getBrokerId))
                .map(r -> DamagedReplica.newBuilder().setBrokerId(r.getBrokerId())
                    .setReason(r.getReason()).setDetectedMs(r.getDetectedMs()).build()).toList()));
      }
      return d.build();
    });
  }

  private static Map<Integer, Long> byPartition(ListOffsetsResponse r) {
    Map<Integer, Long> m = new HashMap<>();
    for (ListOffsetsResult x : r.getResultsList()) {
      if (x.getError() == ErrorCode.ERROR_NONE) {
        m.put(x.getPartition(), x.getOffset());
      }
    }
    return m;
  }

  public CompletableFuture<AlterTopicConfigResponse> alterTopicConfig(AlterTopicConfigRequest req) {
    TopicRecord t = topics.topic(req.getName());
    TopicConfigs.validate(req.getSetMap(), config);
    req.getRemoveList().forEach(TopicConfigs::validateKey);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
    return metadata.submitCommitted(MetadataCommand.newBuilder().setAlterTopicConfig(AlterTopicConfig.newBuilder()
            .setName(req.getName()).setTopicId(t.getTopicId()).putAllSet(req.getSetMap())
            .addAllRemove(req.getRemoveList())).build())
        .thenCompose(c -> awaitApplied(c, deadline))
        .thenApply(r -> AlterTopicConfigResponse.newBuilder()
            .putAllConfigs(TopicConfigs.effective(r.getTopic(), config)).build());
  }
}
