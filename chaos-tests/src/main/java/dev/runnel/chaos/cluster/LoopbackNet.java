package dev.runnel.chaos.cluster;

import dev.runnel.server.testkit.LocalCluster;
import java.util.List;

/**
 * Brokers on 127.0.0.1 with free ports, when network namespaces cannot be made (not root). Process
 * and disk faults work; network partitions do not: every broker has one address in the metadata,
 * so a per-link proxy cannot be placed between two particular brokers.
 */
public final class LoopbackNet implements Net {
  private final int[] ports;

  public LoopbackNet(int brokers) {
    this.ports = LocalCluster.freePorts(brokers * 3);
  }

  @Override
  public String host(int broker) {
    return "127.0.0.1";
  }

  @Override
  public int[] ports(int broker) {
    return new int[] {ports[broker * 3], ports[broker * 3 + 1], ports[broker * 3 + 2]};
  }

  @Override
  public List<String> launchPrefix(int broker) {
    return List.of();
  }

  @Override
  public boolean canPartition() {
    return false;
  }

  @Override
  public void cut(int a, int b) {
    throw new UnsupportedOperationException("network partitions need root (network namespaces)");
  }

  @Override
  public boolean canShape() {
    return false;
  }

  @Override
  public void lossy(int b, int percent) {
    throw new UnsupportedOperationException("packet loss needs root (network namespaces)");
  }

  @Override
  public void throttle(int b, int kbytesPerSecond) {
    throw new UnsupportedOperationException("slow links need root (network namespaces)");
  }

  @Override
  public void delay(int b, int millis) {
    throw new UnsupportedOperationException("link latency needs root (network namespaces)");
  }

  @Override
  public void healAll() {}

  @Override
  public void close() {}
}
