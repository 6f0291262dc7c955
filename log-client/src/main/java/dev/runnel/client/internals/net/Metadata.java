package dev.runnel.client.internals.net;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.proto.v1.LeaderHint;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.MetadataRequest;
import dev.runnel.proto.v1.MetadataResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's cache of cluster metadata, refreshed from {@code LogService.Metadata}: when asked
 * ({@link #requestUpdate()}, after errors), when it is older than {@code metadata.max.age.ms}, and at
 * most once per {@code retry.backoff.ms}. A refresh asks the known brokers and then the bootstrap
 * addresses in turn until one answers. Refreshes are asynchronous; threads that need a newer view
 * wait with {@link #awaitUpdate}.
 */
public final class Metadata {
  private static final Logger LOG = LoggerFactory.getLogger(Metadata.class);

  private final List<HostPort> bootstrap;
  private final ChannelPool channels;
  private final Time time;
  private final long maxAgeMs;
  private final long backoffMs;
  private final int requestTimeoutMs;
  private final Object lock = new Object();
  private final Set<String> topics = new LinkedHashSet<>();
  private final List<Runnable> listeners = new ArrayList<>();
  private volatile ClusterView view = ClusterView.EMPTY;
  private boolean allTopics;
  private boolean updateRequested = true;
  private boolean inFlight;
  private long lastSuccessMs = Long.MIN_VALUE / 2;
  private long lastAttemptMs = Long.MIN_VALUE / 2;
  private long attempts;
  private int rotation;
  private RunnelException lastError;

  public Metadata(List<HostPort> bootstrap, ChannelPool channels, Time time, long maxAgeMs,
      long backoffMs, int requestTimeoutMs) {
    this.bootstrap = List.copyOf(bootstrap);
    this.channels = channels;
    this.time = time;
    this.maxAgeMs = maxAgeMs;
    this.backoffMs = backoffMs;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /** The configured bootstrap addresses. */
  public List<HostPort> bootstrap() {
    return bootstrap;
  }

  public ClusterView view() {
    return view;
  }

  /** Registers a callback run after every refresh attempt (success or failure). */
  public void addListener(Runnable listener) {
    synchronized (lock) {
      listeners.add(listener);
    }
  }

  /** Asks for a refresh as soon as the backoff allows. */
  public void requestUpdate() {
    synchronized (lock) {
      updateRequested = true;
    }
  }

  /** Adds topics of interest; a new one triggers a refresh. */
  public void addTopics(Collection<String> names) {
    synchronized (lock) {
      if (topics.addAll(names)) {
        updateRequested = true;
      }
    }
  }

  /** Replaces the topics of interest (consumer subscriptions). */
  public void setTopics(Collection<String> names) {
    synchronized (lock) {
      if (!topics.equals(new LinkedHashSet<>(names))) {
        topics.clear();
        topics.addAll(names);
        updateRequested = true;
      }
    }
  }

  /** Whether to ask for every topic (pattern subscriptions). */
  public void setAllTopics(boolean all) {
    synchronized (lock) {
      if (allTopics != all) {
        allTopics = all;
        updateRequested = true;
      }
    }
  }

  /** Milliseconds until a refresh is due; 0 means now. */
  public long timeToNextUpdate(long nowMs) {
    synchronized (lock) {
      if (inFlight || !wanted()) {
        return Long.MAX_VALUE;
      }
      long dueAt = updateRequested ? nowMs : lastSuccessMs + maxAgeMs;
      long backoffUntil = lastAttemptMs + backoffMs;
      return Math.max(0, Math.max(dueAt, backoffUntil) - nowMs);
    }
  }

  /** Whether a refresh has a purpose: topics to track, or an explicit request. */
  private boolean wanted() {
    return allTopics || !topics.isEmpty() || updateRequested;
  }

  /** Starts a refresh if one is due and none is running. Never blocks. */
  public void maybeRefresh() {
    long now = time.monoMs();
    MetadataRequest request;
    List<HostPort> candidates;
    synchronized (lock) {
      if (timeToNextUpdate(now) > 0) {
        return;
      }
      inFlight = true;
      updateRequested = false;
      lastAttemptMs = now;
      request = MetadataRequest.newBuilder().addAllTopics(allTopics ? List.of() : topics).build();
      candidates = candidates();
    }
    tryNext(request, candidates, 0, null);
  }

  private List<HostPort> candidates() {
    List<HostPort> known = new ArrayList<>(view.brokers().values());
    LinkedHashSet<HostPort> all = new LinkedHashSet<>();
    if (!known.isEmpty()) {
      int start = Math.floorMod(rotation++, known.size());
      for (int i = 0; i < known.size(); i++) {
        all.add(known.get((start + i) % known.size()));
      }
    }
    all.addAll(bootstrap);
    return new ArrayList<>(all);
  }

  private void tryNext(MetadataRequest request, List<HostPort> candidates, int index,
      RunnelException previous) {
    if (index >= candidates.size()) {
      finish(null, previous);
      return;
    }
    HostPort target = candidates.get(index);
    CompletableFuture<MetadataResponse> call;
    try {
      LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(channels.channel(target))
          .withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS);
      call = Calls.unary(stub::metadata, request);
    } catch (RuntimeException e) {
      finish(null, new RunnelException("metadata request could not start: " + e.getMessage(), e));
      return;
    }
    call.whenComplete((resp, err) -> {
      if (err == null) {
        finish(ClusterView.of(resp), null);
      } else {
        RunnelException e = GrpcErrors.toException(err, "Metadata from " + target);
        LOG.debug("metadata refresh from {} failed: {}", target, e.getMessage());
        tryNext(request, candidates, index + 1, e);
      }
    });
  }

  private void finish(ClusterView fresh, RunnelException error) {
    List<Runnable> toRun;
    synchronized (lock) {
      inFlight = false;
      attempts++;
      if (fresh != null) {
        view = fresh;
        lastSuccessMs = time.monoMs();
        lastError = null;
      } else {
        lastError = error;
        updateRequested = true;
      }
      lock.notifyAll();
      toRun = List.copyOf(listeners);
    }
    toRun.forEach(Runnable::run);
  }

  /** Applies a NOT_LEADER hint at once, and asks for a full refresh. */
  public void updateLeader(TopicPartition tp, LeaderHint hint) {
    synchronized (lock) {
      HostPort address = null;
      if (!hint.getAddress().isEmpty()) {
        try {
          address = HostPort.parse("leader hint", hint.getAddress());
        } catch (RuntimeException e) {
          address = null;
        }
      }
      view = view.withLeader(tp, hint.getBrokerId(), address);
      updateRequested = true;
    }
  }

  /** Number of refresh attempts finished so far; pass to {@link #awaitUpdate}. */
  public long attempts() {
    synchronized (lock) {
      return attempts;
    }
  }

  /**
   * Waits until a refresh attempt after {@code seenAttempts} has finished, starting one if needed.
   *
   * @return false if {@code deadlineMs} (monotonic) passed first
   */
  public boolean awaitUpdate(long seenAttempts, long deadlineMs) throws InterruptedException {
    requestUpdate();
    while (true) {
      maybeRefresh();
      synchronized (lock) {
        if (attempts > seenAttempts) {
          return true;
        }
        long now = time.monoMs();
        long left = deadlineMs - now;
        if (left <= 0) {
          return false;
        }
        // Without a refresh in flight, wake when the backoff ends so this thread can start one.
        long waitMs = inFlight ? left : Math.min(left, timeToNextUpdate(now));
        lock.wait(Math.max(1, waitMs));
      }
    }
  }

  /** The error of the last failed refresh, or null after a success. */
  public RunnelException lastError() {
    synchronized (lock) {
      return lastError;
    }
  }

  /** Blocks until a refresh succeeds, for admin calls; fails with the last error at the deadline. */
  public ClusterView fetchNow(long timeoutMs) throws InterruptedException {
    long deadline = time.monoMs() + timeoutMs;
    while (true) {
      long seen = attempts();
      if (!awaitUpdate(seen, deadline)) {
        RunnelException last = lastError();
        throw new TimeoutException("no broker answered a metadata request within " + timeoutMs + " ms"
            + (last == null ? "" : ": " + last.getMessage()), last);
      }
      if (lastError() == null) {
        return view;
      }
    }
  }
}
