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

  /** Restores every cut link. */
  void healAll() throws IOException;

  @Override
  void close();
}
