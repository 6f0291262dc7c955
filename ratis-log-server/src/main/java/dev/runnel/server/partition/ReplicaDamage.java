package dev.runnel.server.partition;

import dev.runnel.server.raft.RaftHost;
import dev.runnel.server.service.DamageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes damaged replicas out of service on this broker: a replica found damaged before start is
 * moved to quarantine before Ratis sees it; one found damaged while running (a read or an apply
 * failed a check) is removed from the Ratis server, which moves its directory to quarantine. The
 * other replicas of the group then carry on (electing a new leader if needed), and each damage is
 * queued for reporting to the metadata, where the controller picks it up and rebuilds the replica.
 *
 * <p>Removing the replica, rather than repairing it in place, is what keeps Raft safe: a replica
 * that lost entries it had acknowledged must not vote again until the leader has re-added it as a
 * new, empty member and brought it up to date.
 */
public final class ReplicaDamage implements DamageListener {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaDamage.class);

  /** A damage waiting to be recorded in the metadata. */
  public record Pending(String groupId, String reason, long detectedMs) {}

  private final java.util.function.Supplier<RaftHost> host;
  private final Quarantine quarantine;
  private final Executor executor;
  private final LongSupplier clockMs;
  private final MeterRegistry meters;
  private final Set<String> handling = ConcurrentHashMap.newKeySet();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public ReplicaDamage(java.util.function.Supplier<RaftHost> host, Quarantine quarantine,
      Executor executor, LongSupplier clockMs, MeterRegistry meters) {
    this.host = host;
    this.quarantine = quarantine;
    this.executor = executor;
    this.clockMs = clockMs;
    this.meters = meters;
  }

  /** A replica directory failed the start-up check: move it away before Ratis loads it. */
  public void foundAtStart(Path groupDir, String reason) throws IOException {
    String gid = groupDir.getFileName().toString();
    count("open");
    Path moved = quarantine.move(groupDir, reason);
    LOG.error("Replica of partition group {} is damaged and out of service: {}. Its files are in {};"
        + " it will be rebuilt from the other replicas.", gid, reason, moved);
    pending.put(gid, new Pending(gid, reason, clockMs.getAsLong()));
  }

  @Override
  public void damaged(String raftGroupId, String where, String reason) {
    if (!handling.add(raftGroupId)) {
      return;
    }
    count(where);
    LOG.error("Replica of partition group {} is damaged ({}): {}. Taking it out of service; it will be"
        + " rebuilt from the other replicas.", raftGroupId, where, reason);
    executor.execute(() -> {
      try {
        quarantine.makeRoom(raftGroupId);
        host.get().removeGroup(RaftGroupId.valueOf(UUID.fromString(raftGroupId)), true).join();
        quarantine.writeReason(raftGroupId, where + ": " + reason);
        pending.put(raftGroupId, new Pending(raftGroupId, where + ": " + reason, clockMs.getAsLong()));
      } catch (IOException | RuntimeException e) {
        LOG.error("Could not take the damaged replica of group {} out of service", raftGroupId, e);
      } finally {
        handling.remove(raftGroupId);
      }
    });
  }

  /** Damages not yet recorded in the metadata. */
  public List<Pending> pending() {
    return List.copyOf(pending.values());
  }

  /** The metadata has recorded this damage (or its topic is gone): stop reporting it. */
  public void reported(String groupId) {
    pending.remove(groupId);
  }

  private void count(String where) {
    Counter.builder("runnel.storage.damaged.replicas").tag("found", where)
        .description("Replicas on this broker taken out of service because their files were damaged")
        .register(meters).increment();
  }
}
