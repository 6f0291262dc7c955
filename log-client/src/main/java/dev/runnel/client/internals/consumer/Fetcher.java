package dev.runnel.client.internals.consumer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.OffsetOutOfRangeException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.internals.Errors;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.net.Calls;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.ListOffsetsResult;
import dev.runnel.proto.v1.LogServiceGrpc;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's background thread: keeps metadata and the subscription's partitions current, looks
 * up positions for partitions that need one, and prefetches: one long-poll {@code Fetch} in flight per
 * leader broker, covering every fetchable partition it leads that has nothing buffered yet, while the
 * buffer holds less than {@code fetch.max.bytes}. gRPC callbacks enqueue their results for this thread.
 */
public final class Fetcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  /** Longest idle wait between rounds. */
  private static final long MAX_IDLE_MS = 1_000;

  private static final Set<ErrorCode> STALE_METADATA = EnumSet.of(ErrorCode.NOT_LEADER,
      ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.BROKER_NOT_AVAILABLE, ErrorCode.STORAGE_ERROR);

  private final FetchSettings settings;
  private final SubscriptionState subscriptions;
  private final Metadata metadata;
  private final ChannelPool channels;
  private final FetchBuffer buffer;
  private final OffsetLookup offsets;
  private final Time time;
  private final Set<String> extraTopics;
  private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();
  private final Set<Integer> fetchesInFlight = new HashSet<>();
  private final Set<TopicPartition> resetsInFlight = new HashSet<>();
  private final Map<TopicPartition, Long> backoffUntil = new HashMap<>();
  private final Object wakeLock = new Object();
  private boolean woken;
  private ClusterView lastView;
  private volatile boolean running = true;

  public Fetcher(FetchSettings settings, SubscriptionState subscriptions, Metadata metadata,
      ChannelPool channels, FetchBuffer buffer, OffsetLookup offsets, Time time,
      Set<String> extraTopics) {
    this.settings = settings;
    this.subscriptions = subscriptions;
    this.metadata = metadata;
    this.channels = channels;
    this.buffer = buffer;
    this.offsets = offsets;
    this.time = time;
    this.extraTopics = extraTopics;
  }

  @Override
  public void run() {
    while (running) {
      try {
        runOnce();
      } catch (RuntimeException e) {
        // Keep fetching: a bug in one round must not silently stop the consumer.
        LOG.error("consumer fetch round failed", e);
        awaitWakeup(settings.retryBackoffMs());
      }
    }
  }

  void runOnce() {
    Runnable r;
    while ((r = completions.poll()) != null) {
      r.run();
    }
    Set<String> topics = new LinkedHashSet<>(subscriptions.metadataTopics());
    topics.addAll(extraTopics);
    metadata.setTopics(topics);
    metadata.setAllTopics(subscriptions.wantsAllTopics());
    metadata.maybeRefresh();
    long now = time.monoMs();
    ClusterView view = metadata.view();
    if (view != lastView) {
      lastView = view;
      if (subscriptions.updateFromMetadata(view)) {
        buffer.wakeup();
      }
    }
    backoffUntil.values().removeIf(t -> t <= now);
    sendResets(view);
    sendFetches(view);
    long waitMs = Math.min(MAX_IDLE_MS, metadata.timeToNextUpdate(now));
    for (long t : backoffUntil.values()) {
      waitMs = Math.min(waitMs, t - now);
    }
    awaitWakeup(Math.max(1, waitMs));
  }

  private void sendResets(ClusterView view) {
    Map<TopicPartition, OffsetReset> pending = subscriptions.pendingResets();
    Map<TopicPartition, Long> specs = new HashMap<>();
    pending.forEach((tp, strategy) -> {
      if (!resetsInFlight.contains(tp) && !backoffUntil.containsKey(tp)) {
        specs.put(tp, strategy.timestampSpec());
      }
    });
    if (specs.isEmpty()) {
      return;
    }
    resetsInFlight.addAll(specs.keySet());
    offsets.lookupAsync(specs).whenComplete((results, err) -> {
      completions.add(() -> {
        resetsInFlight.removeAll(specs.keySet());
        if (err != null) {
          specs.keySet().forEach(this::backOff);
          return;
        }
        results.forEach((tp, res) -> handleReset(tp, pending.get(tp), res));
      });
      wakeup();
    });
  }

  private void handleReset(TopicPartition tp, OffsetReset strategy, ListOffsetsResult r) {
    if (r.getError() == ErrorCode.ERROR_NONE && r.getOffset() >= 0) {
      subscriptions.completeReset(tp, strategy, r.getOffset());
      buffer.wakeup();
      return;
    }
    LOG.debug("position lookup for {} failed: {} {}", tp, r.getError(), r.getErrorMessage());
    if (STALE_METADATA.contains(r.getError())) {
      metadata.requestUpdate();
    }
    backOff(tp);
  }

  private void sendFetches(ClusterView view) {
    if (buffer.bytes() >= settings.maxBytes()) {
      return;
    }
    Set<TopicPartition> buffered = buffer.partitions();
    Map<Integer, FetchRequest.Builder> byNode = new HashMap<>();
    Map<Integer, Map<TopicPartition, Long>> sentOffsets = new HashMap<>();
    subscriptions.fetchable().forEach((tp, position) -> {
      if (buffered.contains(tp) || backoffUntil.containsKey(tp)) {
        return;
      }
      int leader = view.leaderOf(tp);
      if (leader < 0 || view.address(leader) == null) {
        metadata.requestUpdate();
        return;
      }
      if (fetchesInFlight.contains(leader)) {
        return;
      }
      byNode.computeIfAbsent(leader, n -> FetchRequest.newBuilder()
          .setMaxWaitMs(settings.maxWaitMs()).setMinBytes(settings.minBytes())
          .setMaxBytes(settings.maxBytes()))
          .addPartitions(FetchPartition.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
              .setOffset(position).setMaxBytes(settings.maxPartitionBytes()));
      sentOffsets.computeIfAbsent(leader, n -> new HashMap<>()).put(tp, position);
    });
    byNode.forEach((node, req) -> send(node, view.address(node), req.build(), sentOffsets.get(node)));
  }

  private void send(int node, HostPort address, FetchRequest req, Map<TopicPartition, Long> sent) {
    fetchesInFlight.add(node);
    try {
      LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(channels.channel(address))
          .withDeadlineAfter(settings.maxWaitMs() + (long) settings.requestTimeoutMs(),
              TimeUnit.MILLISECONDS);
      Calls.unary(stub::fetch, req).whenComplete((resp, err) -> {
        completions.add(() -> handleFetch(node, sent, resp, err));
        wakeup();
      });
    } catch (RuntimeException e) {
      completions.add(() -> handleFetch(node, sent, null, e));
    }
  }

  private void handleFetch(int node, Map<TopicPartition, Long> sent, FetchResponse resp,
      Throwable err) {
    fetchesInFlight.remove(node);
    if (err != null) {
      RunnelException e = GrpcErrors.toException(err, "Fetch from broker " + node);
      LOG.debug("fetch from broker {} failed: {}", node, e.getMessage());
      metadata.requestUpdate();
      sent.keySet().forEach(this::backOff);
      return;
    }
    for (FetchedPartition p : resp.getPartitionsList()) {
      TopicPartition tp = new TopicPartition(p.getTopic(), p.getPartition());
      Long offset = sent.get(tp);
      if (offset != null) {
        handlePartition(tp, offset, p);
      }
    }
  }

  private void handlePartition(TopicPartition tp, long offset, FetchedPartition p) {
    ErrorCode code = p.getError();
    if (code == ErrorCode.ERROR_NONE) {
      Long position = subscriptions.isAssigned(tp) ? subscriptions.position(tp) : null;
      if (p.getBatchesCount() > 0 && position != null && position == offset) {
        buffer.add(new CompletedFetch(tp, offset, p.getBatchesList(), settings.checkCrcs()));
      }
      return;
    }
    if (code == ErrorCode.OFFSET_OUT_OF_RANGE) {
      subscriptions.outOfRange(tp, offset, OffsetOutOfRangeException.of(tp, offset,
          p.getLogStartOffset(), p.getHighWatermark()));
      buffer.wakeup();
      return;
    }
    if (STALE_METADATA.contains(code)) {
      if (p.hasLeader() && p.getLeader().getBrokerId() >= 0) {
        metadata.updateLeader(tp, p.getLeader());
      } else {
        metadata.requestUpdate();
      }
    }
    if (Errors.isRetriable(code)) {
      backOff(tp);
    } else {
      subscriptions.setError(tp, offset, Errors.exception(code, p.getErrorMessage() + " (" + tp + ")"));
      buffer.wakeup();
    }
  }

  private void backOff(TopicPartition tp) {
    backoffUntil.put(tp, time.monoMs() + Math.max(1, settings.retryBackoffMs()));
  }

  /** Asks for a new round now (new assignment, seek, data consumed). */
  public void wakeup() {
    synchronized (wakeLock) {
      woken = true;
      wakeLock.notifyAll();
    }
  }

  private void awaitWakeup(long ms) {
    synchronized (wakeLock) {
      try {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!woken && completions.isEmpty() && running) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(wakeLock, left);
        }
      } catch (InterruptedException e) {
        running = false;
        Thread.currentThread().interrupt();
      }
      woken = false;
    }
  }

  /** Stops the thread after the current round. */
  public void close() {
    running = false;
    wakeup();
  }

  /** Drops buffered data for partitions no longer assigned; for assignment changes. */
  public void forget(Collection<TopicPartition> partitions) {
    Set<TopicPartition> gone = new HashSet<>(partitions);
    buffer.removeIf(f -> gone.contains(f.topicPartition()));
  }
}
