package dev.runnel.server.service;

import dev.runnel.server.common.PartitionKeys;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendResult;
import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.Acks;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.protocol.KeyPartitioner;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.record.BatchLimits;
import dev.runnel.server.record.BatchValidator;
import dev.runnel.server.record.InvalidBatchException;
import dev.runnel.server.service.TopicDirectory.Target;
import dev.runnel.server.record.BatchHeader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produce: validates each batch, picks partitions for batches without one, proposes the batches of
 * each locally led partition as one Raft entry, and forwards the rest to their leaders.
 */
public final class ProduceHandler {
  /** Most batches one request may carry. */
  public static final int MAX_BATCHES_PER_REQUEST = 10_000;
  /**
   * Longest a batch waits for its predecessor to be proposed (see {@link ProposalOrder}). The
   * predecessor is normally a few microseconds behind, on another thread; a CPU-starved broker
   * may delay it by a scheduling quantum or a GC pause, hence the margin.
   */
  static final long MAX_REORDER_WAIT_MS = 500;
  /** Producer partitions whose next sequence is remembered for ordering (about 100 bytes each). */
  static final int MAX_TRACKED_PRODUCER_PARTITIONS = 100_000;
  /**
   * Entries of one Raft group proposed and not yet committed before further appends wait to share
   * the next one (see {@link GroupCommit}): two, so that one entry can be on its way while the
   * previous one is fsynced and applied.
   */
  static final int ENTRIES_IN_FLIGHT_PER_GROUP = 2;

  private final int selfId;
  private final TopicDirectory topics;
  private final Peers peers;
  private final ServiceLimits limits;
  private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
  private final Timer latency;
  private final Counter bytesIn;
  private final Counter records;
  private final ProposalOrder order;
  private final GroupCommit groupCommit;

  /**
   * @param proposer runs a group's next proposal when an entry commits on a Raft thread; a
   *     single thread is enough (a proposal only queues the entry in Ratis)
   */
  public ProduceHandler(int selfId, TopicDirectory topics, Peers peers, ServiceLimits limits,
      ScheduledExecutorService timer, Executor proposer, MeterRegistry meters) {
    this.selfId = selfId;
    this.topics = topics;
    this.peers = peers;
    this.limits = limits;
    this.order = new ProposalOrder(MAX_REORDER_WAIT_MS, MAX_TRACKED_PRODUCER_PARTITIONS, timer);
    DistributionSummary appendsPerEntry = DistributionSummary.builder("runnel.produce.entry.appends")
        .description("Produce requests' appends in one Raft entry (group commit: above 1 when "
            + "requests for a busy group wait and share an entry)").register(meters);
    this.groupCommit = new GroupCommit(ENTRIES_IN_FLIGHT_PER_GROUP, limits.maxEntryBytes(), proposer,
        appendsPerEntry::record);
    FunctionCounter.builder("runnel.produce.reordered", order, o -> o.counts()[0])
        .description("Produce entries held back until an earlier batch of the same producer and "
            + "partition was proposed (it arrived on another thread first)").register(meters);
    FunctionCounter.builder("runnel.produce.reorder.timeouts", order, o -> o.counts()[1])
        .description("Held-back entries that went ahead after the wait ran out (the earlier "
            + "batch never came; the state machine then rejects them as out of order)")
        .register(meters);
    this.latency = Timer.builder("runnel.produce.latency").publishPercentileHistogram()
        .description("Produce request latency on the broker that received it").register(meters);
    this.bytesIn = Counter.builder("runnel.produce.bytes").baseUnit("bytes")
        .description("Batch bytes accepted for produce").register(meters);
    this.records = Counter.builder("runnel.produce.records")
        .description("Records accepted for produce").register(meters);
  }

  /** One request batch on its way: where it goes and, once known, its result. */
  private static final class Slot {
    final PartitionBatch in;
    Target target;
    int recordCount;
    /** Set for idempotent batches: what orders their proposal. */
    ProposalOrder.Ticket ticket;
    ProduceResult result;

    Slot(PartitionBatch in) {
      this.in = in;
    }
  }

  public CompletableFuture<ProduceResponse> produce(ProduceRequest req, boolean forwarded) {
    if (req.getBatchesCount() > MAX_BATCHES_PER_REQUEST) {
      throw new ServiceException(ErrorCode.INVALID_REQUEST, "a produce request carries at most "
          + MAX_BATCHES_PER_REQUEST + " batches, got " + req.getBatchesCount());
    }
    if (req.getAcks() == Acks.UNRECOGNIZED) {
      throw new ServiceException(ErrorCode.INVALID_REQUEST, "unknown acks value");
    }
    long timeoutMs = limits.timeoutMs(req.getTimeoutMs());
    Timer.Sample sample = Timer.start();
    List<Slot> slots = new ArrayList<>(req.getBatchesCount());
    Map<String, List<Slot>> byGroup = new LinkedHashMap<>();
    for (PartitionBatch b : req.getBatchesList()) {
      Slot s = new Slot(b);
      slots.add(s);
      prepare(s);
      if (s.result == null) {
        byGroup.computeIfAbsent(s.target.groupId(), g -> new ArrayList<>()).add(s);
      }
    }
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    Map<Integer, List<Slot>> toForward = new LinkedHashMap<>();
    for (List<Slot> group : byGroup.values()) {
      Target t = group.get(0).target;
      Optional<Replica> local = topics.local(t);
      if (local.isPresent() && local.get().isLeader()) {
        for (List<Slot> entry : entries(group)) {
          pending.add(append(local.get(), entry, req.getAcks(), timeoutMs));
        }
        continue;
      }
      int leader = topics.leaderOf(t);
      if (leader < 0) {
        fail(group, ErrorCode.LEADER_NOT_AVAILABLE, "partition " + t.id().partition() + " of '"
            + t.topic().getName() + "' has no leader right now");
      } else if (leader == selfId && !topics.storageProblem().isEmpty()) {
        fail(group, ErrorCode.STORAGE_ERROR, "partition " + t.id().partition() + " of '"
            + t.topic().getName() + "': broker " + selfId + " has taken its replicas out of service ("
            + topics.storageProblem() + "); a new leader is being elected");
      } else if (leader == selfId) {
        fail(group, ErrorCode.LEADER_NOT_AVAILABLE, "partition " + t.id().partition() + " of '"
            + t.topic().getName() + "': this broker was just elected leader and is not ready yet");
      } else if (forwarded) {
        group.forEach(s -> s.result = notLeader(s, leader));
      } else {
        toForward.computeIfAbsent(leader, l -> new ArrayList<>()).addAll(group);
      }
    }
    toForward.forEach((leader, group) -> pending.add(forward(leader, group, req, timeoutMs)));
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .orTimeout(timeoutMs + 1000, TimeUnit.MILLISECONDS)
        .handle((v, t) -> {
          ProduceResponse.Builder resp = ProduceResponse.newBuilder();
          for (Slot s : slots) {
            resp.addResults(s.result != null ? s.result : timedOut(s));
          }
          sample.stop(latency);
          return resp.build();
        });
  }

  private void prepare(Slot s) {
    PartitionBatch b = s.in;
    try {
      TopicRecord topic = topics.topic(b.getTopic());
      int partition = b.hasPartition() ? b.getPartition() : choose(topic, b);
      s.target = topics.resolve(topic, partition);
      BatchHeader h = new BatchValidator(limits.batchLimits(topic)).validate(b.getBatch());
      s.recordCount = h.recordCount();
      if (h.idempotent()) {
        s.ticket = new ProposalOrder.Ticket(s.target.id(), h.producerId(), h.producerEpoch(),
            h.baseSequence(), h.recordCount());
      }
    } catch (ServiceException e) {
      s.result = error(s, e.code(), e.getMessage());
    } catch (InvalidBatchException e) {
      s.result = error(s, e.code(), e.getMessage());
    }
  }

  /**
   * Splits one partition's batches into Raft entries of at most max.batch.bytes each (batches and
   * their framing), so that the largest entry (and with it Ratis's per-group buffers) is bounded by
   * the batch limit.
   */
  private List<List<Slot>> entries(List<Slot> group) {
    List<List<Slot>> out = new ArrayList<>();
    List<Slot> current = new ArrayList<>();
    long bytes = 0;
    for (Slot s : group) {
      // Framing counted too: ten thousand tiny batches must not make an entry larger than Ratis
      // has room for.
      int size = s.in.getBatch().size() + GroupCommit.BATCH_FRAMING_BYTES;
      if (!current.isEmpty() && bytes + size > limits.maxEntryBytes()) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(s);
      bytes += size;
    }
    out.add(current);
    return out;
  }

  private int choose(TopicRecord topic, PartitionBatch b) {
    int n = topic.getPartitionsCount();
    if (b.hasPartitionKey()) {
      return KeyPartitioner.partition(b.getPartitionKey().toByteArray(), n);
    }
    AtomicInteger counter = roundRobin.computeIfAbsent(topic.getName(), k -> new AtomicInteger());
    return KeyPartitioner.toPositive(counter.getAndIncrement()) % n;
  }

  private CompletableFuture<Void> append(Replica replica, List<Slot> group, Acks acks, long timeoutMs) {
    List<ProposalOrder.Ticket> tickets = new ArrayList<>();
    for (Slot s : group) {
      if (s.ticket != null) {
        tickets.add(s.ticket);
      }
    }
    // Usually complete already, and then this runs on the calling thread with no hand-off.
    return order.ready(tickets).thenCompose(v -> propose(replica, group, tickets, acks, timeoutMs));
  }

  private CompletableFuture<Void> propose(Replica replica, List<Slot> group,
      List<ProposalOrder.Ticket> tickets, Acks acks, long timeoutMs) {
    List<AppendBatch> batches = new ArrayList<>(group.size());
    for (Slot s : group) {
      batches.add(AppendBatch.newBuilder()
          .setPartition(PartitionKeys.toKey(s.target.id())).setBatch(s.in.getBatch()).build());
    }
    GroupCommit.Append append = new GroupCommit.Append(replica, batches, acks, timeoutMs);
    try {
      groupCommit.submit(group.get(0).target.groupId(), append);
    } finally {
      // Queued in order (or failed): the entry's place in the log is fixed, the next batches may follow.
      order.proposed(tickets);
    }
    if (acks == Acks.ACKS_NONE) {
      // Fire and forget: answered once proposed; the outcome is logged by nobody on purpose.
      return append.proposed.thenRun(() -> group.forEach(s -> s.result = ok(s, -1, -1, false)));
    }
    return append.results.handle((results, t) -> {
      if (t != null) {
        ServiceException e = asService(t);
        fail(group, e.code(), e.getMessage());
        return null;
      }
      for (int i = 0; i < group.size(); i++) {
        Slot s = group.get(i);
        AppendResult r = results.get(i);
        if (r.getError() == ErrorCode.ERROR_NONE) {
          s.result = ok(s, r.getBaseOffset(), r.getLogStartOffset(), r.getDuplicate());
          bytesIn.increment(s.in.getBatch().size());
          records.increment(r.getDuplicate() ? 0 : s.recordCount);
        } else {
          s.result = error(s, r.getError(), r.getErrorMessage());
        }
      }
      return null;
    });
  }

  private CompletableFuture<Void> forward(int leader, List<Slot> group, ProduceRequest req, long timeoutMs) {
    ProduceRequest.Builder sub = ProduceRequest.newBuilder().setAcks(req.getAcks())
        .setTimeoutMs((int) timeoutMs);
    for (Slot s : group) {
      sub.addBatches(s.in.toBuilder().setPartition(s.target.id().partition()).clearPartitionKey());
    }
    return peers.produce(leader, sub.build()).handle((resp, t) -> {
      if (t != null) {
        ServiceException e = asService(t);
        fail(group, e.code(), "forwarding to leader " + leader + " failed: " + e.getMessage());
        return null;
      }
      for (int i = 0; i < group.size(); i++) {
        group.get(i).result = resp.getResults(i);
      }
      return null;
    });
  }

  private static ServiceException asService(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof ServiceException s) {
      return s;
    }
    if (c instanceof TimeoutException) {
      return new ServiceException(ErrorCode.REQUEST_TIMED_OUT, "not acknowledged in time; outcome unknown");
    }
    return new ServiceException(ErrorCode.UNKNOWN_SERVER_ERROR, String.valueOf(c));
  }

  private void fail(List<Slot> group, ErrorCode code, String message) {
    group.forEach(s -> s.result = error(s, code, message));
  }

  private ProduceResult notLeader(Slot s, int leader) {
    return base(s).setError(ErrorCode.NOT_LEADER).setErrorMessage("broker " + selfId
        + " does not lead partition " + s.target.id().partition() + " of '" + s.in.getTopic() + "'")
        .setLeader(topics.hint(leader)).build();
  }

  private ProduceResult ok(Slot s, long base, long logStart, boolean duplicate) {
    return base(s).setBaseOffset(base).setLogStartOffset(logStart).setDuplicate(duplicate).build();
  }

  private ProduceResult timedOut(Slot s) {
    return error(s, ErrorCode.REQUEST_TIMED_OUT, "not acknowledged in time; outcome unknown");
  }

  private ProduceResult error(Slot s, ErrorCode code, String message) {
    return base(s).setError(code).setErrorMessage(message).setBaseOffset(-1).setLogStartOffset(-1).build();
  }

  private ProduceResult.Builder base(Slot s) {
    return ProduceResult.newBuilder().setTopic(s.in.getTopic())
        .setPartition(s.target != null ? s.target.id().partition() : s.in.getPartition());
  }
}
