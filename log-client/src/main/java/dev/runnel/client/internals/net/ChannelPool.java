package dev.runnel.client.internals.net;

import dev.runnel.client.internals.config.HostPort;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per broker address, created on first use and shared by every request to that
 * broker (HTTP/2 multiplexes the pipelined requests). Plaintext for now.
 */
public final class ChannelPool implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxInboundBytes;
  private final String userAgent;
  private volatile boolean closed;

  /**
   * @param maxInboundBytes largest response the client accepts (fetch responses are the big ones)
   * @param clientId sent as the user agent, so broker logs can name the client
   */
  public ChannelPool(int maxInboundBytes, String clientId) {
    this.maxInboundBytes = maxInboundBytes;
    this.userAgent = "runnel-java/" + (clientId.isEmpty() ? "client" : clientId);
  }

  /** The channel to {@code address}, creating it if needed. */
  public ManagedChannel channel(HostPort address) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    return channels.computeIfAbsent(address.toString(), target ->
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
            .maxInboundMessageSize(maxInboundBytes)
            .userAgent(userAgent)
            .build());
  }

  /** Shuts every channel down, waiting up to {@code timeout} for calls in progress. */
  public void close(Duration timeout) {
    closed = true;
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    channels.clear();
    all.forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ManagedChannel c : all) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        c.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
