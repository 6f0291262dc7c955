package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.util.List;

/**
 * How broker processes are networked, and which network faults can be injected between them.
 */
public interface Net extends AutoCloseable {
  /** The address broker {@code i} listens on and advertises. */
  String host(int broker);

  /** First ports of broker {@code i}: client, raft, http. */
  int[] ports(int broker);

  /** Words to put before the java command line (e.g. to enter the broker's namespace). */
  List<String> launchPrefix(int broker);

  /** Whether {@link #cut} works here. */
  boolean canPartition();

  /** Drops all traffic between two brokers, both ways, until {@link #healAll}. */
  void cut(int a, int b) throws IOException;

  /** Whether {@link #lossy} and {@link #throttle} work here (network namespaces and nftables). */
  boolean canShape();

  /** Drops {@code percent}% of the packets broker {@code b} receives from the other brokers. */
  void lossy(int b, int percent) throws IOException;

  /**
   * Limits what broker {@code b} receives from the other brokers to {@code kbytesPerSecond},
   * dropping the excess: a slow link in bandwidth ({@link #delay} adds latency).
   */
  void throttle(int b, int kbytesPerSecond) throws IOException;

  /**
   * Adds {@code millis} of latency each way to the Raft traffic between broker {@code b} and every
   * other broker (through a delay proxy; needs {@link #canShape}).
   */
  void delay(int b, int millis) throws IOException;

  /** Restores every cut, lossy or slow link. */
  void healAll() throws IOException;

  @Override
  void close();
}
