package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

/**
 * N broker processes (the first three form the metadata quorum), each with its own data directory
 * and address, plus the means to hurt them. Everything started is stopped by {@link #close}, also
 * from a shutdown hook if the test JVM is interrupted.
 */
public final class ChaosCluster implements AutoCloseable {
  private final Net net;
  private final List<BrokerProcess> brokers = new ArrayList<>();
  private final Path dir;
  private final Thread hook = new Thread(this::close, "chaos-cluster-cleanup");

  private ChaosCluster(Net net, Path dir) {
    this.net = net;
    this.dir = dir;
  }

  /**
   * Starts the brokers and waits until all are healthy.
   *
   * @param useNamespaces put each broker in its own network namespace (needs root) so that
   *     partitions can be injected; otherwise loopback without network faults
   */
  public static ChaosCluster start(int n, Path dir, boolean useNamespaces, Map<String, String> extra)
      throws IOException, InterruptedException {
    Net net = useNamespaces ? new NamespaceNet(n) : new LoopbackNet(n);
    ChaosCluster c = new ChaosCluster(net, dir);
    Runtime.getRuntime().addShutdownHook(c.hook);
    try {
      StringJoiner quorum = new StringJoiner(",");
      for (int i = 0; i < Math.min(3, n); i++) {
        quorum.add(i + "@" + net.host(i) + ":" + net.ports(i)[1]);
      }
      for (int i = 0; i < n; i++) {
        Map<String, String> s = new HashMap<>();
        int[] p = net.ports(i);
        s.put("broker.id", Integer.toString(i));
        s.put("data.dir", dir.resolve("data-" + i).toAbsolutePath().toString());
        s.put("listen.host", net.host(i));
        s.put("advertised.host", net.host(i));
        s.put("client.port", Integer.toString(p[0]));
        s.put("raft.port", Integer.toString(p[1]));
        s.put("http.port", Integer.toString(p[2]));
        s.put("metadata.quorum", quorum.toString());
        s.put("default.replication.factor", Integer.toString(Math.min(3, n)));
        s.put("broker.heartbeat.interval.ms", "300");
        s.put("broker.session.timeout.ms", "3000");
        s.put("controller.reconcile.interval.ms", "300");
        s.put("raft.rpc.timeout.min.ms", "800");
        s.put("raft.rpc.timeout.max.ms", "1600");
        s.putAll(extra);
        BrokerProcess b = new BrokerProcess(i, dir, s, net.launchPrefix(i),
            "http://" + net.host(i) + ":" + p[2] + "/health");
        c.brokers.add(b);
        b.start();
      }
      c.awaitHealthy(Duration.ofSeconds(90));
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  public Net net() {
    return net;
  }

  public int size() {
    return brokers.size();
  }

  public BrokerProcess broker(int i) {
    return brokers.get(i);
  }

  public Path dataDir(int i) {
    return dir.resolve("data-" + i);
  }

  /** Client addresses of every broker, for bootstrap.servers. */
  public String bootstrap() {
    StringJoiner j = new StringJoiner(",");
    for (int i = 0; i < brokers.size(); i++) {
      j.add(net.host(i) + ":" + net.ports(i)[0]);
    }
    return j.toString();
  }

  public String clientAddress(int i) {
    return net.host(i) + ":" + net.ports(i)[0];
  }

  /** Undoes every fault: resumes paused brokers, restarts stopped ones, restores the network. */
  public void healAll() throws IOException {
    net.healAll();
    for (BrokerProcess b : brokers) {
      b.resume();
      if (!b.isRunning()) {
        b.start();
      }
    }
  }

  public void awaitHealthy(Duration timeout) throws InterruptedException {
    waitFor(timeout, "every broker healthy", () -> brokers.stream().allMatch(BrokerProcess::isHealthy));
  }

  public static void waitFor(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public synchronized void close() {
    for (BrokerProcess b : brokers) {
      try {
        b.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    net.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Called from the hook itself.
    }
  }
}
