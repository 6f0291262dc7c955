package dev.runnel.cli.dev;

import dev.runnel.client.AdminConfig;
import dev.runnel.client.BrokerNode;
import dev.runnel.client.RunnelAdmin;
import java.time.Duration;

/**
 * Whether a dev cluster has formed as seen from one broker. A broker accepts connections before
 * it has registered, and before it has heard the others' heartbeats; until then it refuses, say,
 * a topic with replication factor 3 ("must be 1..0 (the live brokers)"). {@code dev} says the
 * cluster is up only once every broker sees them all.
 */
@FunctionalInterface
public interface ClusterProbe {

  /** Asks the broker at {@code address} over the admin API; any failure counts as "not yet". */
  ClusterProbe ADMIN = (address, brokers) -> {
    try (RunnelAdmin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(address)
        .requestTimeout(Duration.ofSeconds(1)).defaultApiTimeout(Duration.ofSeconds(2)).build())) {
      return admin.describeCluster().brokers().stream().filter(BrokerNode::alive).count() >= brokers;
    } catch (RuntimeException e) {
      return false;
    }
  };

  /**
   * @param address the broker's client address, host:port
   * @param brokers how many brokers the cluster has
   * @return true once that broker sees at least {@code brokers} brokers alive
   */
  boolean seesAll(String address, int brokers);
}
