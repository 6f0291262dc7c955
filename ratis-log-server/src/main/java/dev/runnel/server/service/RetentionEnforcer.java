package dev.runnel.server.service;

import dev.runnel.server.common.PartitionKeys;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.internal.TrimCommand;
import dev.runnel.proto.v1.Acks;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.metadata.ClusterState;
import dev.runnel.server.storage.PartitionStore;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention on the partitions this broker leads: computes each one's trim point from its
 * topic's effective retention.ms / retention.bytes and proposes a TRIM through Raft. Followers
 * never decide; they apply the same TRIM entries, so replicas stay identical.
 */
public final class RetentionEnforcer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionEnforcer.class);

  private final ReplicaDirectory replicas;
  private final ClusterState state;
  private final ServerConfig config;
  private final LongSupplier clockMs;

  public RetentionEnforcer(ReplicaDirectory replicas, ClusterState state, ServerConfig config,
      LongSupplier clockMs) {
    this.replicas = replicas;
    this.state = state;
    this.config = config;
    this.clockMs = clockMs;
  }

  @Override
  public void run() {
    for (String gid : replicas.groupIds()) {
      try {
        check(gid);
      } catch (RuntimeException e) {
        LOG.warn("Retention check of group {} failed; will retry", gid, e);
      }
    }
  }

  private void check(String gid) {
    Optional<Replica> r = replicas.local(gid);
    if (r.isEmpty() || !r.get().isLeader()) {
      return;
    }
    for (PartitionId p : state.partitionsOfGroup(gid)) {
      check(r.get(), p);
    }
  }

  private void check(Replica r, PartitionId p) {
    Optional<TopicRecord> topic = state.topic(p.topicId());
    Optional<PartitionStore> store = r.store();
    if (topic.isEmpty() || topic.get().getDeleting() || store.isEmpty()) {
      return;
    }
    Map<String, String> configs = TopicConfigs.effective(topic.get(), config);
    OptionalLong upTo = RetentionPolicy.trimPoint(store.get(), p,
        Long.parseLong(configs.get(TopicConfigs.RETENTION_MS)),
        Long.parseLong(configs.get(TopicConfigs.RETENTION_BYTES)), clockMs.getAsLong());
    if (upTo.isEmpty()) {
      return;
    }
    PartitionCommand trim = PartitionCommand.newBuilder().setTrim(TrimCommand.newBuilder()
        .setPartition(PartitionKeys.toKey(p)).setUpToOffset(upTo.getAsLong())).build();
    r.propose(trim, Acks.ACKS_MAJORITY, config.requestTimeoutMs())
        .whenComplete((reply, t) -> {
          if (t != null) {
            LOG.debug("Trim of {} up to {} not committed: {}", p, upTo.getAsLong(), t.getMessage());
          } else {
            LOG.info("Retention: {}-{} now starts at offset {}", topic.get().getName(),
                p.partition(), reply.getLogStartOffset());
          }
        });
  }
}
