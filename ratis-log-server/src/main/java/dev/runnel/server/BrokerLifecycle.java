package dev.runnel.server;

import dev.runnel.server.common.PartitionKeys;
import dev.runnel.proto.internal.BrokerHeartbeat;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.LeaderRecord;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.RegisterBroker;
import dev.runnel.proto.internal.ReportLeader;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.metadata.ClusterState;
import dev.runnel.server.metadata.MetadataClient;
import dev.runnel.server.partition.LocalPartition;
import dev.runnel.server.partition.LocalReplicas;
import dev.runnel.server.partition.ReplicaDamage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's duties towards the metadata group: register (again after every start, with a new
 * incarnation), heartbeat, report the partitions it leads, and, when it is not a member of the
 * metadata group, keep its copy of the metadata fresh by reading it from the group.
 */
final class BrokerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);

  private final BrokerRecord self;
  private final ClusterState state;
  private final MetadataClient metadata;
  private final LocalReplicas replicas;
  private final ReplicaDamage damage;
  private final boolean metadataMember;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean registered = new AtomicBoolean();
  private volatile long registeredAtIndex = Long.MAX_VALUE;
  private final AtomicBoolean reporting = new AtomicBoolean();
  private final Supplier<Set<String>> stoppedGroups;

  BrokerLifecycle(BrokerRecord self, ClusterState state, MetadataClient metadata,
      LocalReplicas replicas, ReplicaDamage damage, Supplier<Set<String>> stoppedGroups,
      boolean metadataMember, ScheduledExecutorService executor) {
    this.damage = damage;
    this.stoppedGroups = stoppedGroups;
    this.self = self;
    this.state = state;
    this.metadata = metadata;
    this.replicas = replicas;
    this.metadataMember = metadataMember;
    this.executor = executor;
  }

  void start(long heartbeatMs) {
    executor.scheduleWithFixedDelay(this::tick, 0, heartbeatMs, TimeUnit.MILLISECONDS);
  }

  boolean isRegistered() {
    return registered.get();
  }

  /**
   * Registered, and this broker's copy of the metadata has caught up at least to its registration:
   * before that it could serve topics that were deleted while it was down.
   */
  boolean isReady() {
    return registered.get() && state.applied().index() >= registeredAtIndex;
  }

  private void tick() {
    try {
      if (!metadataMember) {
        metadata.readState().thenAccept(state::load).exceptionally(t -> null);
      }
      if (!registered.get()) {
        metadata.submitForIndex(MetadataCommand.newBuilder()
                .setRegisterBroker(RegisterBroker.newBuilder().setBroker(self)).build())
            .whenComplete((index, t) -> {
              if (t == null && registered.compareAndSet(false, true)) {
                registeredAtIndex = index;
                LOG.info("Broker {} registered with the metadata group", self.getId());
              }
            });
        return;
      }
      metadata.submit(MetadataCommand.newBuilder().setHeartbeat(BrokerHeartbeat.newBuilder()
          .setBrokerId(self.getId()).setIncarnation(self.getIncarnation())
          .addAllStoppedGroups(stoppedGroups.get())).build())
          .exceptionally(t -> {
            if (t.getMessage() != null && t.getMessage().contains("not registered")) {
              registered.set(false);
            }
            return null;
          });
      reportLeaders();
      reportDamage();
    } catch (RuntimeException e) {
      LOG.debug("Lifecycle tick failed; retrying next tick", e);
    }
  }

  /** Records replicas taken out of service here in the metadata, where the controller acts on them. */
  private void reportDamage() {
    if (!isReady()) {
      return;
    }
    for (ReplicaDamage.Pending d : damage.pending()) {
      Optional<PartitionId> id = state.partitionOfGroup(d.groupId());
      Optional<dev.runnel.proto.internal.TopicRecord> topic = id.flatMap(p -> state.topic(p.topicId()));
      if (topic.isEmpty() || topic.get().getDeleting()) {
        damage.reported(d.groupId());  // the topic is gone: nothing to rebuild
        continue;
      }
      metadata.submit(MetadataCommand.newBuilder().setReportDamage(
          dev.runnel.proto.internal.ReportDamage.newBuilder().setDamage(
              dev.runnel.proto.internal.DamageRecord.newBuilder()
                  .setPartition(PartitionKeys.toKey(id.get())).setBrokerId(self.getId())
                  .setReason(d.reason()).setDetectedMs(d.detectedMs()))).build())
          .thenRun(() -> damage.reported(d.groupId()));
    }
  }

  /** Reports partitions led here whose leader in the metadata differs; also run on leader changes. */
  void reportLeaders() {
    if (!registered.get() || !reporting.compareAndSet(false, true)) {
      return;
    }
    try {
      for (Map.Entry<String, LocalPartition> e : replicas.all().entrySet()) {
        LocalPartition p = e.getValue();
        if (!p.isLeader()) {
          continue;
        }
        Optional<PartitionId> id = state.partitionOfGroup(e.getKey());
        long term = p.term();
        if (id.isEmpty()) {
          continue;
        }
        Optional<LeaderRecord> known = state.leader(id.get());
        if (known.isPresent() && known.get().getLeaderId() == self.getId() && known.get().getTerm() == term) {
          continue;
        }
        metadata.submit(MetadataCommand.newBuilder().setReportLeader(ReportLeader.newBuilder()
            .setPartition(PartitionKeys.toKey(id.get())).setLeaderId(self.getId())
            .setTerm(term)).build());
      }
    } finally {
      reporting.set(false);
    }
  }
}
