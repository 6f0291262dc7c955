package dev.runnel.client.internals.net;

import dev.runnel.client.internals.config.HostPort;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
  /** gRPC's default HTTP/2 flow-control window, the least a channel starts with. */
  private static final int MIN_FLOW_CONTROL_WINDOW = 1 << 20;
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
        NettyChannelBuilder.forTarget(target, InsecureChannelCredentials.create())
            // The window starts as large as the largest response this client accepts, so a broker
            // sends a whole fetch response without waiting for window updates: with gRPC's 1 MiB
            // default a consumer's 2 MiB responses (two partitions of max.partition.fetch.bytes)
            // waited mid-response, and consuming 1,000,000 records ran about 7 % slower
            // (performance.md, thirteenth session). The consumer bounds what it asks for, and
            // thereby what may arrive, by fetch.max.bytes per broker; gRPC still tunes it upwards.
            .initialFlowControlWindow(Math.max(MIN_FLOW_CONTROL_WINDOW, maxInboundBytes))
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
