package dev.runnel.cli.dev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The brokers of a local development cluster and the settings each one gets; pure, so it is
 * tested without starting anything.
 *
 * <p>Broker {@code i} uses client port {@code base + 100 i}, Raft port {@code base + 1 + 100 i},
 * HTTP port {@code base + 2 + 100 i} and data directory {@code DIR/broker-i}. The first
 * {@code min(N, 3)} brokers form the metadata quorum, and that is also the default replication
 * factor.
 */
public final class DevClusterPlan {

  /** Named limit: more brokers than this on one machine only measure the machine. */
  public static final int MAX_BROKERS = 9;
  /** Ports of consecutive brokers are this far apart. */
  public static final int PORT_STRIDE = 100;
  /** Brokers in the metadata quorum, and the default replication factor, at most. */
  public static final int MAX_QUORUM = 3;
  static final String HOST = "localhost";

  private final List<DevBroker> brokers;

  private DevClusterPlan(List<DevBroker> brokers) {
    this.brokers = List.copyOf(brokers);
  }

  /**
   * Plans {@code count} brokers.
   *
   * @throws IllegalArgumentException naming the option at fault when the count or ports are out
   *     of range
   */
  public static DevClusterPlan of(int count, Path dataDir, int basePort) {
    if (count < 1 || count > MAX_BROKERS) {
      throw new IllegalArgumentException(
          "--brokers must be 1.." + MAX_BROKERS + ", not " + count);
    }
    final int highestPort = basePort + 2 + PORT_STRIDE * (count - 1);
    if (basePort < 1 || highestPort > 65535) {
      throw new IllegalArgumentException("--base-port " + basePort + " does not fit " + count
          + " broker(s): they need ports " + basePort + ".." + highestPort
          + ", which must lie in 1..65535");
    }
    final int quorumSize = Math.min(count, MAX_QUORUM);
    final List<String> quorum = new ArrayList<>();
    for (int id = 0; id < quorumSize; id++) {
      quorum.add(id + "@" + HOST + ":" + (basePort + 1 + PORT_STRIDE * id));
    }
    final Path root = dataDir.toAbsolutePath().normalize();
    final List<DevBroker> brokers = new ArrayList<>();
    for (int id = 0; id < count; id++) {
      final int clientPort = basePort + PORT_STRIDE * id;
      final Path brokerDir = root.resolve("broker-" + id);
      final Map<String, String> settings = new LinkedHashMap<>();
      settings.put("broker.id", Integer.toString(id));
      settings.put("data.dir", brokerDir.toString());
      settings.put("advertised.host", HOST);
      settings.put("client.port", Integer.toString(clientPort));
      settings.put("raft.port", Integer.toString(clientPort + 1));
      settings.put("http.port", Integer.toString(clientPort + 2));
      settings.put("metadata.quorum", String.join(",", quorum));
      settings.put("default.replication.factor", Integer.toString(quorumSize));
      brokers.add(new DevBroker(id, clientPort, clientPort + 1, clientPort + 2, brokerDir,
          settings));
    }
    return new DevClusterPlan(brokers);
  }

  public List<DevBroker> brokers() {
    return brokers;
  }

  /** Comma-separated client addresses, e.g. {@code localhost:9292,localhost:9392}. */
  public String bootstrap() {
    final List<String> addresses = new ArrayList<>();
    for (DevBroker broker : brokers) {
      addresses.add(broker.clientAddress());
    }
    return String.join(",", addresses);
  }

  /**
   * One planned broker.
   *
   * @param settings the broker's configuration keys (applied as {@code --set} flags)
   */
  public record DevBroker(int id, int clientPort, int raftPort, int httpPort, Path dataDir,
      Map<String, String> settings) {

    /** Copies the settings so the plan stays immutable. */
    public DevBroker {
      settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** {@code broker-<id>}, the prefix of its output. */
    public String name() {
      return "broker-" + id;
    }

    public String clientAddress() {
      return HOST + ":" + clientPort;
    }
  }
}
