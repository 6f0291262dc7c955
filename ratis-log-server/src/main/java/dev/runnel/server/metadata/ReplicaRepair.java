package dev.runnel.server.metadata;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.DamageRecord;
import dev.runnel.proto.internal.MetadataCommand;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.ReplicaRepaired;
import dev.runnel.proto.internal.ReportDamage;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.common.PartitionKeys;
import dev.runnel.server.raft.GroupAdmin;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the replicas of an established partition that are damaged or missing, from the healthy
 * ones, without ever letting an empty replica vote:
 *
 * <ol>
 *   <li>the replica is taken out of the group's Raft configuration (the healthy replicas commit
 *       that between them);
 *   <li>an empty member is started on its broker, with no configuration of its own;
 *   <li>the leader adds it back: Ratis catches it up first (by snapshot install) and only then
 *       commits the configuration in which it votes again;
 *   <li>once the healthy replicas' configuration includes it, the damage is marked repaired.
 * </ol>
 *
 * Re-creating the group with its full configuration instead would let a replica that forgot
 * acknowledged entries vote for a leader that lacks them. Each step is idempotent and re-checked
 * on the next controller pass, so a controller failover or a timeout part-way is harmless.
 */
final class ReplicaRepair {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRepair.class);
  /**
   * Failed attempts to add a rebuilt replica back before leadership moves to another healthy
   * replica. Seen in CI with Ratis 3.3: a leader whose earlier reconfiguration ended kept a stale
   * pending request and refused every later one (IllegalStateException from its pending-request
   * check) until it stopped leading; a new leader starts with no pending reconfiguration.
   */
  static final int FAILURES_BEFORE_LEADER_MOVE = 10;
  /** See {@link #missingLongEnough}. */
  static final long MISSING_GRACE_MS = 10_000;

  private final ClusterState state;
  private final MetadataClient metadata;
  private final GroupAdmin admin;
  private final LongSupplier clockMs;
  /** Consecutive failed attempts to add a rebuilt replica back, by group id. */
  private final Map<String, Integer> failures = new HashMap<>();
  /** When each replica ("group@broker") was first seen missing from its live broker. */
  private final Map<String, Long> missingSince = new HashMap<>();

  ReplicaRepair(ClusterState state, MetadataClient metadata, GroupAdmin admin, LongSupplier clockMs) {
    this.state = state;
    this.metadata = metadata;
    this.admin = admin;
    this.clockMs = clockMs;
  }

  /**
   * @param hosted the groups each live, reachable broker hosts (listed after {@code damaged} was
   *     read, so a replica taken out of service before its report is never seen as hosted)
   * @param damaged this partition's damage records, by broker id
   */
  void repair(String topic, PartitionId id, PartitionAssignment p, Map<Integer, Set<String>> hosted,
      Map<Integer, DamageRecord> damaged) {
    String gid = p.getRaftGroupId();
    List<BrokerRecord> replicas = p.getReplicasList().stream().map(state::broker)
        .flatMap(Optional::stream).toList();
    List<BrokerRecord> healthy = replicas.stream().filter(b -> !damaged.containsKey(b.getId()))
        .filter(b -> hosted.getOrDefault(b.getId(), Set.of()).contains(gid)).toList();
    for (BrokerRecord b : replicas) {
      Set<String> groups = hosted.get(b.getId());
      if (groups == null) {
        continue;  // down or unreachable: repaired once it is back
      }
      boolean hosts = groups.contains(gid);
      if (hosts) {
        missingSince.remove(gid + "@" + b.getId());
      }
      if (hosts && !damaged.containsKey(b.getId())) {
        continue;
      }
      if (!damaged.containsKey(b.getId())) {
        if (!missingLongEnough(gid, b.getId())) {
          continue;
        }
        report(id, b, "the replica is missing on broker " + b.getId()
            + " (its directory was lost or never created)");
      }
      if (healthy.isEmpty()) {
        LOG.warn("{}-{}: replica on broker {} needs rebuilding but no healthy replica is reachable",
            topic, id.partition(), b.getId());
        continue;
      }
      try {
        if (!hosts) {
          admin.setConfiguration(gid, healthy, without(replicas, b));
          admin.addEmpty(b, gid);
          groups.add(gid);
          LOG.info("{}-{}: rebuilding the replica on broker {} from brokers {}", topic, id.partition(),
              b.getId(), healthy.stream().map(BrokerRecord::getId).toList());
        }
        GroupAdmin.Conf conf = admin.conf(healthy.get(0), gid);
        if (!conf.changing() && conf.brokers().contains(b.getId())) {
          failures.remove(gid);
          metadata.submit(MetadataCommand.newBuilder().setReplicaRepaired(ReplicaRepaired.newBuilder()
              .setPartition(PartitionKeys.toKey(id)).setBrokerId(b.getId())).build());
          LOG.info("{}-{}: replica on broker {} rebuilt and voting again", topic, id.partition(), b.getId());
        } else {
          // Blocks while the leader catches the new member up; a timeout leaves that running.
          admin.setConfiguration(gid, healthy, replicas);
        }
      } catch (IOException e) {
        LOG.info("{}-{}: rebuild of the replica on broker {} not finished yet: {}", topic,
            id.partition(), b.getId(), e.getMessage());
        if (groups.contains(gid)) {
          restartIfStuck(topic, id, gid, b, healthy, groups);
        }
        if (failures.merge(gid, 1, Integer::sum) >= FAILURES_BEFORE_LEADER_MOVE) {
          failures.remove(gid);
          moveLeader(topic, id, gid, healthy);
        }
      }
    }
  }

  /**
   * A replica counts as missing only once its broker has not listed it for MISSING_GRACE_MS: a
   * broker restarting a replica after a full disk drops it from Ratis and adds it back (Ratis
   * cannot reopen a member in place), and a rebuild started in that gap raced the restart (seen
   * in CI: the rebuild's empty member and the restarted one collided over the directory).
   */
  private boolean missingLongEnough(String gid, int brokerId) {
    long now = clockMs.getAsLong();
    long since = missingSince.computeIfAbsent(gid + "@" + brokerId, k -> now);
    return now - since >= MISSING_GRACE_MS;
  }

  /** Moves the group's leadership to another healthy replica (see FAILURES_BEFORE_LEADER_MOVE). */
  private void moveLeader(String topic, PartitionId id, String gid, List<BrokerRecord> healthy) {
    int leader = state.leader(id).map(l -> l.getLeaderId()).orElse(-1);
    Optional<BrokerRecord> target = healthy.stream().filter(h -> h.getId() != leader).findFirst();
    if (target.isEmpty()) {
      return;
    }
    try {
      admin.transferLeadership(gid, healthy, target.get());
      LOG.warn("{}-{}: replica rebuild kept failing under leader {}; moved leadership to broker {}",
          topic, id.partition(), leader, target.get().getId());
    } catch (IOException e) {
      LOG.info("{}-{}: moving leadership to broker {} failed: {}", topic, id.partition(),
          target.get().getId(), e.getMessage());
    }
  }

  /**
   * Starts the rebuild over when the new member cannot finish it: seen in CI, the empty member on
   * {@code b} closed itself, likely because a leader began catching it up and then stopped (Ratis
   * 3.3: the member's election timer fires, it stands, finds itself NOT_IN_CONF and shuts down),
   * and a member that answers, even with errors, never hits Ratis's staging timeout. Removing it
   * is safe only while it cannot vote or be caught up: its member is closed, and every healthy
   * member reports a stable configuration without it (a configuration takes effect where it is
   * appended, so none has begun adding it). The next pass creates a fresh empty member and adds
   * it again.
   */
  private void restartIfStuck(String topic, PartitionId id, String gid, BrokerRecord b,
      List<BrokerRecord> healthy, Set<String> groups) {
    GroupAdmin.MemberProbe probe = admin.probe(b, gid);
    if (!probe.closed()) {
      // The new member runs: Ratis is still bringing it up to date.
      LOG.info("{}-{}: the new replica on broker {} is not closed ({}); waiting", topic,
          id.partition(), b.getId(), probe.answer());
      return;
    }
    try {
      for (BrokerRecord h : healthy) {
        GroupAdmin.Conf c = admin.conf(h, gid);
        if (c.changing() || c.brokers().contains(b.getId())) {
          LOG.info("{}-{}: the new replica on broker {} is closed, but broker {} sees configuration "
              + "{}{}: not starting over yet", topic, id.partition(), b.getId(), h.getId(),
              c.brokers(), c.changing() ? " (changing)" : "");
          return;
        }
      }
      admin.remove(b, gid);
      groups.remove(gid);
      LOG.warn("{}-{}: the new replica on broker {} stopped while being brought up to date; "
          + "removed it, the rebuild starts over", topic, id.partition(), b.getId());
    } catch (IOException e) {
      LOG.info("{}-{}: could not restart the rebuild on broker {}: {}", topic, id.partition(),
          b.getId(), e.getMessage());
    }
  }

  private void report(PartitionId id, BrokerRecord b, String reason) {
    metadata.submit(MetadataCommand.newBuilder().setReportDamage(ReportDamage.newBuilder().setDamage(
        DamageRecord.newBuilder().setPartition(PartitionKeys.toKey(id)).setBrokerId(b.getId())
            .setReason(reason).setDetectedMs(clockMs.getAsLong()).setInferred(true))).build());
  }

  private static List<BrokerRecord> without(List<BrokerRecord> replicas, BrokerRecord b) {
    return replicas.stream().filter(r -> r.getId() != b.getId()).toList();
  }
}
