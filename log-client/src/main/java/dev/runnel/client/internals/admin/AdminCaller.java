package dev.runnel.client.internals.admin;

import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.RetriableException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.UnknownTopicOrPartitionException;
import dev.runnel.client.internals.GrpcErrors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.client.internals.net.ChannelPool;
import dev.runnel.client.internals.producer.Backoff;
import dev.runnel.proto.v1.AdminServiceGrpc;
import dev.runnel.proto.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one admin RPC against the brokers in turn: a transport failure or a retriable error moves on
 * to the next address after a backoff, until the overall timeout; other errors, and an unknown topic,
 * are thrown mapped.
 */
public final class AdminCaller {
  private final List<HostPort> addresses;
  private final ChannelPool channels;
  private final int requestTimeoutMs;
  private final Backoff backoff;
  private final Time time;
  private final AtomicInteger rotation = new AtomicInteger();

  public AdminCaller(List<HostPort> addresses, ChannelPool channels, int requestTimeoutMs,
      Backoff backoff, Time time) {
    this.addresses = List.copyOf(addresses);
    this.channels = channels;
    this.requestTimeoutMs = requestTimeoutMs;
    this.backoff = backoff;
    this.time = time;
  }

  /**
   * @param what the call, for messages ("CreateTopic 'orders'")
   * @param extraDeadlineMs added to request.timeout.ms for calls the broker itself lets wait
   */
  public <R> R call(String what, long timeoutMs, long extraDeadlineMs,
      Function<AdminServiceBlockingStub, R> rpc) {
    long deadline = time.monoMs() + timeoutMs;
    RunnelException last = null;
    for (int attempt = 1; ; attempt++) {
      HostPort target = addresses.get(Math.floorMod(rotation.getAndIncrement(), addresses.size()));
      long left = deadline - time.monoMs();
      try {
        AdminServiceBlockingStub stub = AdminServiceGrpc.newBlockingStub(channels.channel(target))
            .withDeadlineAfter(Math.max(1, Math.min(left, requestTimeoutMs + extraDeadlineMs)),
                TimeUnit.MILLISECONDS);
        return rpc.apply(stub);
      } catch (RuntimeException e) {
        last = GrpcErrors.toException(e, what + " at " + target);
        // The topic table is authoritative for admin calls: a missing topic is an answer, not a
        // transient state worth retrying for a minute.
        if (!(last instanceof RetriableException) || last instanceof UnknownTopicOrPartitionException) {
          throw last;
        }
      }
      long wait = backoff.delayMs(attempt);
      if (time.monoMs() + wait >= deadline) {
        throw new TimeoutException(what + " did not succeed within " + timeoutMs + " ms; last error: "
            + last.getMessage(), last);
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException ie) {
        throw new InterruptException("interrupted during " + what, ie);
      }
    }
  }
}
