package dev.runnel.client.internals.producer;

import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.net.Calls;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.proto.v1.InitProducerRequest;
import dev.runnel.proto.v1.LogServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains producer ids with {@code InitProducer}, asynchronously and with backoff, on behalf of the
 * sender thread (results are handed back through its completion queue). Any broker can answer.
 */
final class ProducerIdInitializer {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerIdInitializer.class);

  private final Metadata metadata;
  private final ChannelPool channels;
  private final int requestTimeoutMs;
  private final Backoff backoff;
  private final Time time;
  private final Queue<Runnable> completions;
  private final Runnable wakeup;
  private boolean inFlight;
  private long nextAttemptMs;
  private int failures;
  private int rotation;
  private RunnelException lastError;

  ProducerIdInitializer(Metadata metadata, ChannelPool channels, int requestTimeoutMs, Backoff backoff,
      Time time, Queue<Runnable> completions, Runnable wakeup) {
    this.metadata = metadata;
    this.channels = channels;
    this.requestTimeoutMs = requestTimeoutMs;
    this.backoff = backoff;
    this.time = time;
    this.completions = completions;
    this.wakeup = wakeup;
  }

  void maybeStart(Idempotence idempotence, long nowMs) {
    if (inFlight || nowMs < nextAttemptMs || !idempotence.needsIdentity()) {
      return;
    }
    List<HostPort> targets = new ArrayList<>(metadata.view().brokers().values());
    if (targets.isEmpty()) {
      // Before the first metadata answer, any bootstrap broker can hand out an id.
      targets = metadata.bootstrap();
    }
    if (targets.isEmpty()) {
      metadata.requestUpdate();
      return;
    }
    HostPort target = targets.get(Math.floorMod(rotation++, targets.size()));
    inFlight = true;
    try {
      LogServiceGrpc.LogServiceStub stub = LogServiceGrpc.newStub(channels.channel(target))
          .withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS);
      Calls.unary(stub::initProducer, InitProducerRequest.getDefaultInstance())
          .whenComplete((resp, err) -> {
            completions.add(() -> {
              inFlight = false;
              if (err == null) {
                failures = 0;
                lastError = null;
                idempotence.setIdentity(new Idempotence.ProducerIdentity(resp.getProducerId(),
                    resp.getProducerEpoch()));
              } else {
                failed(GrpcErrors.toException(err, "InitProducer at " + target));
              }
            });
            wakeup.run();
          });
    } catch (RuntimeException e) {
      inFlight = false;
      failed(new RunnelException("InitProducer could not start: " + e.getMessage(), e));
    }
  }

  private void failed(RunnelException e) {
    failures++;
    lastError = e;
    nextAttemptMs = time.monoMs() + backoff.delayMs(failures);
    metadata.requestUpdate();
    LOG.debug("InitProducer failed (attempt {}): {}", failures, e.getMessage());
  }

  RunnelException lastError() {
    return lastError;
  }
}
