package dev.runnel.server.service;

import com.google.protobuf.UnsafeByteOperations;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.service.TopicDirectory.Target;
import dev.runnel.server.storage.OffsetOutOfRangeException;
import dev.runnel.server.storage.PartitionStore;
import dev.runnel.server.storage.PartitionStore.StoredBatch;
import dev.runnel.server.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fetch: reads committed batches from local replicas (the leader, or any replica when the client
 * allows followers), forwards partitions led elsewhere, and long-polls until {@code min_bytes}
 * arrive or {@code max_wait_ms} passes, woken by applies rather than by polling.
 */
public final class FetchHandler {
  /** Most partitions one fetch may name. */
  public static final int MAX_PARTITIONS_PER_FETCH = 10_000;

  private final int selfId;
  private final TopicDirectory topics;
  private final Peers peers;
  private final ServiceLimits limits;
  private final ScheduledExecutorService timer;
  private final Counter bytesOut;
  private final Counter storageErrors;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FetchHandler.class);
  private final io.micrometer.core.instrument.Timer latency;
  private final DamageListener damage;

  public FetchHandler(int selfId, TopicDirectory topics, Peers peers, ServiceLimits limits,
      ScheduledExecutorService timer, MeterRegistry meters, DamageListener damage) {
    this.selfId = selfId;
    this.damage = damage;
    this.topics = topics;
    this.peers = peers;
    this.limits = limits;
    this.timer = timer;
    this.bytesOut = Counter.builder("runnel.fetch.bytes").baseUnit("bytes")
        .description("Batch bytes returned by fetch").register(meters);
    this.storageErrors = Counter.builder("runnel.storage.errors")
        .description("Reads refused because a replica's files failed a check").register(meters);
    this.latency = io.micrometer.core.instrument.Timer.builder("runnel.fetch.latency")
        .publishPercentileHistogram().description("Fetch latency including long-poll waits")
        .register(meters);
  }

  public CompletableFuture<FetchResponse> fetch(FetchRequest req, boolean forwarded) {
    if (req.getPartitionsCount() > MAX_PARTITIONS_PER_FETCH) {
      throw new ServiceException(ErrorCode.INVALID_REQUEST, "a fetch names at most "
          + MAX_PARTITIONS_PER_FETCH + " partitions, got " + req.getPartitionsCount());
    }
    if (req.getMaxWaitMs() < 0 || req.getMinBytes() < 0 || req.getMaxBytes() < 0) {
      throw new ServiceException(ErrorCode.INVALID_REQUEST, "max_wait_ms, min_bytes and max_bytes must be >= 0");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.fetchMaxWaitMs(req.getMaxWaitMs()));
    List<FetchPartition> local = new ArrayList<>();
    Map<Integer, FetchRequest.Builder> remote = new LinkedHashMap<>();
    Map<FetchPartition, FetchedPartition> early = new LinkedHashMap<>();
    for (FetchPartition fp : req.getPartitionsList()) {
      route(fp, req.getAllowFollower(), forwarded, local, remote, early);
    }
    List<CompletableFuture<FetchResponse>> forwardedParts = new ArrayList<>();
    remote.forEach((leader, sub) -> forwardedParts.add(peers.fetch(leader,
        sub.setMaxWaitMs(req.getMaxWaitMs()).setMinBytes(req.getMinBytes())
            .setMaxBytes(req.getMaxBytes()).setAllowFollower(req.getAllowFollower()).build())
        .exceptionally(t -> failedForward(sub, leader, t))));
    io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start();
    CompletableFuture<List<FetchedPartition>> localPart =
        readLocal(local, req, deadline, early.isEmpty() && remote.isEmpty());
    return localPart.thenCompose(parts -> CompletableFuture.allOf(
        forwardedParts.toArray(CompletableFuture[]::new)).thenApply(v -> {
          FetchResponse.Builder resp = FetchResponse.newBuilder().addAllPartitions(early.values())
              .addAllPartitions(parts);
          forwardedParts.forEach(f -> resp.addAllPartitions(f.join().getPartitionsList()));
          sample.stop(latency);
          return resp.build();
        }));
  }

  private void route(FetchPartition fp, boolean allowFollower, boolean forwarded,
      List<FetchPartition> local, Map<Integer, FetchRequest.Builder> remote,
      Map<FetchPartition, FetchedPartition> early) {
    Target t;
    try {
      t = topics.resolve(fp.getTopic(), fp.getPartition());
    } catch (ServiceException e) {
      early.put(fp, error(fp, e.code(), e.getMessage()).build());
      return;
    }
    Optional<Replica> r = topics.local(t);
    if (r.isPresent() && (allowFollower || r.get().isLeader())) {
      local.add(fp);
      return;
    }
    int leader = topics.leaderOf(t);
    if (leader < 0) {
      early.put(fp, error(fp, ErrorCode.LEADER_NOT_AVAILABLE, "no leader right now").build());
    } else if (leader == selfId || forwarded) {
      early.put(fp, error(fp, ErrorCode.NOT_LEADER, "broker " + selfId + " does not lead this partition")
          .setLeader(topics.hint(leader)).build());
    } else {
      remote.computeIfAbsent(leader, l -> FetchRequest.newBuilder()).addPartitions(fp);
    }
  }

  private CompletableFuture<List<FetchedPartition>> readLocal(List<FetchPartition> parts,
      FetchRequest req, long deadlineNanos, boolean mayWait) {
    // One signal per Raft group, not per partition: the partitions of a group share it, and with
    // hundreds of them in a fetch each apply would otherwise run hundreds of callbacks.
    Set<CompletableFuture<Void>> signals = Collections.newSetFromMap(new IdentityHashMap<>());
    for (FetchPartition fp : parts) {
      topics.local(topics.resolve(fp.getTopic(), fp.getPartition()))
          .ifPresent(r -> signals.add(r.nextAppend()));
    }
    List<FetchedPartition> out = readAll(parts, req);
    long bytes = out.stream().flatMap(p -> p.getBatchesList().stream())
        .mapToLong(b -> b.getBatch().size()).sum();
    long waitNanos = deadlineNanos - System.nanoTime();
    boolean anyError = out.stream().anyMatch(p -> p.getError() != ErrorCode.ERROR_NONE);
    if (!mayWait || parts.isEmpty() || anyError || bytes >= Math.max(1, req.getMinBytes())
        || waitNanos <= 0) {
      bytesOut.increment(bytes);
      return CompletableFuture.completedFuture(out);
    }
    // Wait for any of the partitions to apply something, then read again (bounded by the deadline).
    CompletableFuture<Void> woken = new CompletableFuture<>();
    CompletableFuture.anyOf(signals.toArray(CompletableFuture[]::new)).thenRun(() -> woken.complete(null));
    timer.schedule(() -> woken.complete(null), waitNanos, TimeUnit.NANOSECONDS);
    return woken.thenCompose(v -> readLocal(parts, req, deadlineNanos,
        System.nanoTime() < deadlineNanos));
  }

  private List<FetchedPartition> readAll(List<FetchPartition> parts, FetchRequest req) {
    long budget = limits.fetchMaxBytes(req.getMaxBytes());
    List<FetchedPartition> out = new ArrayList<>(parts.size());
    for (FetchPartition fp : parts) {
      FetchedPartition p = readOne(fp, budget);
      for (FetchedBatch b : p.getBatchesList()) {
        budget -= b.getBatch().size();
      }
      out.add(p);
    }
    return out;
  }

  /** Reads one partition from the local replica; at least one batch if any is available. */
  public FetchedPartition readOne(FetchPartition fp, long budget) {
    Target t = topics.resolve(fp.getTopic(), fp.getPartition());
    Optional<PartitionStore> store = topics.local(t).flatMap(Replica::store);
    if (store.isEmpty()) {
      return error(fp, ErrorCode.STORAGE_ERROR, "replica on broker " + selfId + " is not open").build();
    }
    PartitionStore s = store.get();
    PartitionStore.PartitionOffsets offsets = s.offsets(t.id());
    FetchedPartition.Builder b = FetchedPartition.newBuilder().setTopic(fp.getTopic())
        .setPartition(fp.getPartition()).setHighWatermark(offsets.nextOffset())
        .setLogStartOffset(offsets.logStartOffset());
    int max = (int) Math.max(1, Math.min(budget, fp.getMaxBytes() > 0 ? fp.getMaxBytes() : Integer.MAX_VALUE));
    try {
      for (StoredBatch sb : s.read(t.id(), fp.getOffset(), budget <= 0 ? 1 : max)) {
        b.addBatches(FetchedBatch.newBuilder().setBaseOffset(sb.baseOffset())
            .setBatch(UnsafeByteOperations.unsafeWrap(sb.batch())));
        if (budget <= 0) {
          break;
        }
      }
    } catch (OffsetOutOfRangeException e) {
      return b.setError(ErrorCode.OFFSET_OUT_OF_RANGE).setErrorMessage(e.getMessage()
          + " of partition " + fp.getPartition() + " of '" + fp.getTopic() + "'").build();
    } catch (StorageException e) {
      // Damaged files are reported, never served around: the client retries on another replica.
      storageErrors.increment();
      LOG.error("Replica of {}-{} on broker {} failed a read; not serving it", fp.getTopic(),
          fp.getPartition(), selfId, e);
      if (e.isDamage()) {
        damage.damaged(t.groupId(), "read", e.getMessage());
      }
      return error(fp, ErrorCode.STORAGE_ERROR, "the replica on broker " + selfId
          + " failed a read check: " + e.getMessage()).build();
    }
    return b.build();
  }

  private FetchResponse failedForward(FetchRequest.Builder sub, int leader, Throwable t) {
    FetchResponse.Builder r = FetchResponse.newBuilder();
    for (FetchPartition fp : sub.getPartitionsList()) {
      r.addPartitions(error(fp, ErrorCode.LEADER_NOT_AVAILABLE,
          "forwarding to leader " + leader + " failed: " + t.getMessage()));
    }
    return r.build();
  }

  private static FetchedPartition.Builder error(FetchPartition fp, ErrorCode code, String msg) {
    return FetchedPartition.newBuilder().setTopic(fp.getTopic()).setPartition(fp.getPartition())
        .setError(code).setErrorMessage(msg).setHighWatermark(-1).setLogStartOffset(-1);
  }
}
