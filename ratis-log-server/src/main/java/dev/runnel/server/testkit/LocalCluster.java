package dev.runnel.server.testkit;

import dev.runnel.server.Broker;
import dev.runnel.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

/**
 * Several real brokers in one JVM on 127.0.0.1 with free ports, for tests of the broker, the
 * clients and tools. Each broker has its own data directory, Ratis server, gRPC and HTTP ports, so
 * everything but process isolation is real. The first three brokers form the metadata group.
 */
public final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, Map<String, String>> settings = new HashMap<>();
  private final Map<Integer, Broker> running = new HashMap<>();

  private LocalCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code brokers} brokers and waits until every one is registered and a controller leads. */
  public static LocalCluster start(int brokers, Path dir) throws IOException {
    return start(brokers, dir, Map.of());
  }

  /** As {@link #start(int, Path)}, with extra settings applied to every broker. */
  public static LocalCluster start(int brokers, Path dir, Map<String, String> extra) throws IOException {
    LocalCluster c = new LocalCluster(dir);
    int[][] ports = new int[brokers][3];
    int[] free = freePorts(brokers * 3);
    StringJoiner quorum = new StringJoiner(",");
    for (int i = 0; i < brokers; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = free[i * 3 + j];
      }
      if (i < 3) {
        quorum.add(i + "@127.0.0.1:" + ports[i][1]);
      }
    }
    for (int i = 0; i < brokers; i++) {
      Map<String, String> s = new HashMap<>();
      s.put("broker.id", Integer.toString(i));
      s.put("data.dir", dir.resolve("broker-" + i).toString());
      s.put("listen.host", "127.0.0.1");
      s.put("advertised.host", "127.0.0.1");
      s.put("client.port", Integer.toString(ports[i][0]));
      s.put("raft.port", Integer.toString(ports[i][1]));
      s.put("http.port", Integer.toString(ports[i][2]));
      s.put("metadata.quorum", quorum.toString());
      s.put("default.replication.factor", Integer.toString(Math.min(3, brokers)));
      s.put("broker.heartbeat.interval.ms", "300");
      s.put("broker.session.timeout.ms", "3000");
      s.put("controller.reconcile.interval.ms", "200");
      s.put("raft.rpc.timeout.min.ms", "600");
      s.put("raft.rpc.timeout.max.ms", "1200");
      s.putAll(extra);
      c.settings.put(i, s);
    }
    try {
      for (int i = 0; i < brokers; i++) {
        c.startBroker(i);
      }
      c.awaitReady(Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Starts (or restarts) a broker with its original settings and data directory. */
  public void startBroker(int id) throws IOException {
    if (running.containsKey(id)) {
      throw new IllegalStateException("broker " + id + " is running");
    }
    running.put(id, Broker.start(ServerConfig.of(settings.get(id))));
  }

  /**
   * Starts (or restarts) a broker with some of its settings changed; later restarts keep them.
   * On failure the broker is not running and the change stays.
   */
  public void startBroker(int id, Map<String, String> changes) throws IOException {
    settings.get(id).putAll(changes);
    startBroker(id);
  }

  /** Stops a broker gracefully; its data stays for a restart. */
  public void stopBroker(int id) {
    Broker b = running.remove(id);
    if (b != null) {
      b.close();
    }
  }

  public Optional<Broker> broker(int id) {
    return Optional.ofNullable(running.get(id));
  }

  public List<Broker> brokers() {
    return new ArrayList<>(running.values());
  }

  public Path dataDir(int id) {
    return Path.of(settings.get(id).get("data.dir"));
  }

  /** Comma-separated client addresses of the running brokers. */
  public String bootstrap() {
    StringJoiner j = new StringJoiner(",");
    running.keySet().stream().sorted().forEach(id -> j.add(running.get(id).clientAddress()));
    return j.toString();
  }

  /** The broker that is currently the controller, if any. */
  public Optional<Broker> controller() {
    return running.values().stream().filter(Broker::isController).findFirst();
  }

  /** Waits until every running broker is registered and alive in every running broker's view. */
  public void awaitReady(Duration timeout) {
    int n = running.size();
    waitFor(timeout, "all brokers registered and a controller elected", () ->
        controller().isPresent() && running.values().stream().allMatch(b -> b.isReady()
            && b.clusterState().liveBrokerIds(3000).containsAll(running.keySet())
                && b.clusterState().brokers().size() >= n));
  }

  /** Polls a condition every 50 ms until it holds or the timeout passes. */
  public static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  /**
   * {@code n} distinct free loopback ports. All sockets stay open until every port is chosen: the
   * kernel may hand out a port again as soon as it is closed, which gave two brokers the same port.
   */
  public static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing a probe socket: nothing to do.
        }
      }
    }
  }

  @Override
  public void close() {
    for (Broker b : running.values()) {
      b.close();
    }
    running.clear();
  }
}
