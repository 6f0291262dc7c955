package dev.runnel.client.internals.producer;

import dev.runnel.client.Acks;
import dev.runnel.client.errors.RetriableException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.internals.Errors;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.net.Calls;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.client.internals.producer.RecordAccumulator.Ready;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.LeaderHint;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.proto.v1.ProduceResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's I/O thread. Each round it drains sendable batches, groups them per leader into one
 * {@code ProduceRequest}, keeps up to {@code max.in.flight.requests.per.connection} requests pipelined
 * per broker, and handles answers: success completes the records' futures; a retriable error refreshes
 * metadata and re-queues the batch (in sequence order) until {@code retries} or
 * {@code delivery.timeout.ms} run out; any other error fails the batch. gRPC callbacks only enqueue
 * work for this thread, so all producer state changes here.
 */
public final class Sender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  /** Extra time on the gRPC deadline beyond request.timeout.ms, so the broker's own answer wins. */
  static final long DEADLINE_MARGIN_MS = 5_000;
  /** Longest idle wait between rounds. */
  static final long MAX_IDLE_MS = 1_000;

  /** Errors after which the broker has certainly not stored the batch. */
  private static final Set<ErrorCode> NOT_STORED = EnumSet.of(ErrorCode.OUT_OF_ORDER_SEQUENCE,
      ErrorCode.UNKNOWN_PRODUCER_ID, ErrorCode.CORRUPT_BATCH, ErrorCode.BATCH_TOO_LARGE,
      ErrorCode.RECORD_TOO_LARGE, ErrorCode.REQUEST_TOO_LARGE, ErrorCode.INVALID_REQUEST,
      ErrorCode.INVALID_TIMESTAMP, ErrorCode.UNSUPPORTED_COMPRESSION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_TOPIC);

  /** Errors that mean the client's routing is stale. */
  private static final Set<ErrorCode> STALE_METADATA = EnumSet.of(ErrorCode.NOT_LEADER,
      ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.BROKER_NOT_AVAILABLE, ErrorCode.STORAGE_ERROR);

  private final SenderSettings settings;
  private final RecordAccumulator accumulator;
  private final Metadata metadata;
  private final ChannelPool channels;
  private final Idempotence idempotence;
  private final ProducerIdInitializer initializer;
  private final Time time;
  private final Backoff backoff;
  private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Integer> inFlightPerNode = new HashMap<>();
  private final Set<List<ProducerBatch>> inFlight = new HashSet<>();
  private final Object wakeLock = new Object();
  private boolean woken;
  private volatile boolean running = true;
  private volatile boolean forceClose;

  public Sender(SenderSettings settings, RecordAccumulator accumulator, Metadata metadata,
      ChannelPool channels, Idempotence idempotence, Time time, Backoff backoff) {
    this.settings = settings;
    this.accumulator = accumulator;
    this.metadata = metadata;
    this.channels = channels;
    this.idempotence = idempotence;
    this.time = time;
    this.backoff = backoff;
    this.initializer = new ProducerIdInitializer(metadata, channels, settings.requestTimeoutMs(),
        backoff, time, completions, this::wakeup);
  }

  @Override
  public void run() {
    try {
      while (running) {
        runOnce();
      }
      // Graceful close: send what is queued and wait for the answers, unless forced.
      while (!forceClose && (accumulator.hasQueued() || !inFlight.isEmpty() || !completions.isEmpty())) {
        runOnce();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the producer's I/O thread failed; failing every pending record", e);
      abortAll(new RunnelException("the producer's I/O thread failed: " + e, e));
      throw e;
    }
    if (forceClose) {
      abortAll(new RunnelException("the producer was closed before these records were acknowledged"));
    }
  }

  /** One round: handle answers, refresh metadata, send what is ready, expire what is too old. */
  void runOnce() {
    runCompletions();
    long now = time.monoMs();
    metadata.maybeRefresh();
    long waitMs = Math.min(MAX_IDLE_MS, metadata.timeToNextUpdate(now));
    if (idempotence.enabled()) {
      initializer.maybeStart(idempotence, now);
      failAll(idempotence.applyResets(accumulator), null);
    }
    ClusterView view = metadata.view();
    Ready ready = accumulator.ready(view, now, idempotence);
    if (ready.unknownLeaders()) {
      metadata.requestUpdate();
      waitMs = Math.min(waitMs, settings.retryBackoffMs());
    }
    Set<Integer> nodes = new HashSet<>();
    for (int node : ready.nodes()) {
      if (inFlightPerNode.getOrDefault(node, 0) < settings.maxInFlight()) {
        nodes.add(node);
      }
    }
    Map<Integer, List<ProducerBatch>> drained = nodes.isEmpty() ? Map.of()
        : accumulator.drain(view, nodes, settings.maxRequestSize(), now, idempotence);
    drained.forEach((node, batches) -> send(node, view.address(node), batches));
    expire(now);
    if (drained.isEmpty()) {
      waitMs = Math.min(waitMs, ready.nextCheckDelayMs());
      waitMs = Math.min(waitMs, accumulator.timeToNextExpiry(now, settings.deliveryTimeoutMs()));
      awaitWakeup(waitMs);
    }
  }

  private void send(int node, HostPort address, List<ProducerBatch> batches) {
    ProduceRequest.Builder req = ProduceRequest.newBuilder()
        .setAcks(toProto(settings.acks()))
        .setTimeoutMs(settings.requestTimeoutMs());
    for (ProducerBatch b : batches) {
      idempotence.prepare(b, settings.codec());
      b.recordAttempt();
      req.addBatches(PartitionBatch.newBuilder().setTopic(b.topicPartition().topic())
          .setPartition(b.topicPartition().partition()).setBatch(b.encoded()));
    }
    inFlightPerNode.merge(node, 1, Integer::sum);
    inFlight.add(batches);
    try {
      LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(channels.channel(address))
          .withDeadlineAfter(settings.requestTimeoutMs() + DEADLINE_MARGIN_MS, TimeUnit.MILLISECONDS);
      Calls.unary(stub::produce, req.build()).whenComplete((resp, err) -> {
        completions.add(() -> handleResponse(node, batches, resp, err));
        wakeup();
      });
    } catch (RuntimeException e) {
      completions.add(() -> handleResponse(node, batches, null, e));
    }
  }

  private static dev.runnel.proto.v1.Acks toProto(Acks acks) {
    return switch (acks) {
      case NONE -> dev.runnel.proto.v1.Acks.ACKS_NONE;
      case MAJORITY -> dev.runnel.proto.v1.Acks.ACKS_MAJORITY;
      case ALL -> dev.runnel.proto.v1.Acks.ACKS_ALL;
    };
  }

  private void handleResponse(int node, List<ProducerBatch> batches, ProduceResponse resp,
      Throwable err) {
    inFlightPerNode.merge(node, -1, Integer::sum);
    if (!inFlight.remove(batches)) {
      return;
    }
    batches.forEach(idempotence::onResponse);
    long now = time.monoMs();
    if (err != null) {
      RunnelException e = GrpcErrors.toException(err, "Produce to broker " + node);
      Optional<ErrorDetail> d = GrpcErrors.detail(err);
      LOG.debug("produce request to broker {} failed: {}", node, e.getMessage());
      metadata.requestUpdate();
      for (ProducerBatch b : batches) {
        handleError(b, e, d.map(ErrorDetail::getCode).orElse(null),
            d.filter(ErrorDetail::hasLeader).map(ErrorDetail::getLeader).orElse(null), now);
      }
      return;
    }
    if (resp.getResultsCount() != batches.size()) {
      RunnelException e = Errors.exception(ErrorCode.UNKNOWN_SERVER_ERROR, "broker " + node
          + " answered " + resp.getResultsCount() + " results for " + batches.size() + " batches");
      batches.forEach(b -> handleError(b, e, null, null, now));
      return;
    }
    for (int i = 0; i < batches.size(); i++) {
      ProduceResult r = resp.getResults(i);
      ProducerBatch b = batches.get(i);
      if (r.getError() == ErrorCode.ERROR_NONE) {
        succeed(b, settings.acks() == Acks.NONE ? -1 : r.getBaseOffset());
      } else {
        String msg = r.getErrorMessage().isEmpty() ? r.getError() + " for " + b.topicPartition()
            : r.getErrorMessage();
        handleError(b, Errors.exception(r.getError(), msg), r.getError(),
            r.hasLeader() ? r.getLeader() : null, now);
      }
    }
  }

  /** Decides between retry and failure for one batch. {@code code} is null for transport errors. */
  private void handleError(ProducerBatch b, RunnelException e, ErrorCode code, LeaderHint hint,
      long now) {
    b.lastError(e);
    if (code == null || !NOT_STORED.contains(code)) {
      b.markMaybeStored();
    }
    boolean retriable = e instanceof RetriableException;
    if (code == ErrorCode.OUT_OF_ORDER_SEQUENCE && idempotence.enabled()) {
      // Rejected: this attempt was not stored. An earlier attempt of the batch may have been, and
      // have left the broker's window of recent batches since (later batches went on while its
      // answer was lost), which is exactly why the broker no longer recognises it; so a batch
      // marked maybe-stored stays marked, and a reset fails it instead of renumbering it.
      idempotence.onOutOfOrder(b);
      retriable = true;
    } else if (code == ErrorCode.UNKNOWN_PRODUCER_ID && idempotence.enabled()) {
      idempotence.onUnknownProducer(b);
      retriable = true;
    }
    if (code != null && STALE_METADATA.contains(code)) {
      if (hint != null && hint.getBrokerId() >= 0) {
        metadata.updateLeader(b.topicPartition(), hint);
      } else {
        metadata.requestUpdate();
      }
    }
    boolean inTime = now - b.createdMs() < settings.deliveryTimeoutMs();
    if (retriable && inTime && b.attempts() <= settings.retries()) {
      LOG.debug("retrying {} after: {}", b, e.getMessage());
      b.retryAt(now + backoff.delayMs(b.attempts()));
      accumulator.reenqueue(b);
      return;
    }
    if (retriable && !inTime) {
      fail(b, expiredError(b, now));
    } else {
      fail(b, e);
    }
  }

  private void succeed(ProducerBatch b, long baseOffset) {
    idempotence.onSuccess(b);
    b.complete(baseOffset);
    accumulator.deallocate(b);
  }

  private void fail(ProducerBatch b, RuntimeException e) {
    idempotence.onTerminalFailure(b);
    b.fail(e);
    accumulator.deallocate(b);
  }

  private void failAll(List<ProducerBatch> batches, RuntimeException e) {
    long now = time.monoMs();
    for (ProducerBatch b : batches) {
      fail(b, e != null ? e : new TimeoutException("not retrying " + b.recordCount() + " record(s) for "
          + b.topicPartition() + ": an earlier attempt's outcome is unknown and the partition's"
          + " sequence had to be reset, so a retry could store them twice. They may have been stored."
          + " Last error: " + describe(b.lastError()) + " (after " + (now - b.createdMs()) + " ms)",
          b.lastError()));
    }
  }

  private void expire(long now) {
    for (ProducerBatch b : accumulator.expire(now, settings.deliveryTimeoutMs())) {
      fail(b, expiredError(b, now));
    }
  }

  private TimeoutException expiredError(ProducerBatch b, long now) {
    String why = b.lastError() != null ? " Last error: " + describe(b.lastError())
        : initializer.lastError() != null ? " Could not get a producer id: "
            + initializer.lastError().getMessage()
            : metadata.lastError() != null ? " Metadata: " + metadata.lastError().getMessage() : "";
    return new TimeoutException("expiring " + b.recordCount() + " record(s) for " + b.topicPartition()
        + ": " + (now - b.createdMs()) + " ms passed since the batch was created, more than"
        + " delivery.timeout.ms (" + settings.deliveryTimeoutMs() + ")."
        + (b.maybeStored() ? " The records may have been stored." : "") + why, b.lastError());
  }

  private static String describe(RuntimeException e) {
    return e == null ? "none" : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private void runCompletions() {
    Runnable r;
    while ((r = completions.poll()) != null) {
      r.run();
    }
  }

  private void abortAll(RunnelException e) {
    runCompletions();
    List<ProducerBatch> all = new ArrayList<>(accumulator.drainAllQueued());
    inFlight.forEach(all::addAll);
    inFlight.clear();
    all.addAll(accumulator.incomplete());
    for (ProducerBatch b : all) {
      b.fail(e);
      accumulator.deallocate(b);
    }
  }

  /** Wakes the thread from its idle wait. Any thread may call this. */
  public void wakeup() {
    synchronized (wakeLock) {
      woken = true;
      wakeLock.notifyAll();
    }
  }

  private void awaitWakeup(long waitMs) {
    synchronized (wakeLock) {
      try {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMs));
        while (!woken && completions.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(wakeLock, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        forceClose = true;
        running = false;
      }
      woken = false;
    }
  }

  /** Stops accepting work; queued records are still sent unless {@link #forceClose()} follows. */
  public void initiateClose() {
    accumulator.beginClose();
    running = false;
    wakeup();
  }

  /** Fails everything not yet acknowledged and stops as soon as possible. */
  public void forceClose() {
    forceClose = true;
    initiateClose();
  }
}
