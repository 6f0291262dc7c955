package dev.runnel.client;

/**
 * A broker as described by {@code Admin.describeCluster}.
 *
 * @param id the broker id
 * @param host host of its client endpoint
 * @param port port of its client endpoint
 * @param rack rack label, or ""
 * @param alive whether it heartbeated within the session timeout
 * @param controllerEligible whether it is a member of the metadata Raft group
 * @param replicaCount partition replicas it hosts
 * @param leaderCount partitions it leads
 */
public record BrokerNode(int id, String host, int port, String rack, boolean alive,
    boolean controllerEligible, int replicaCount, int leaderCount) {

  /** {@code host:port}. */
  public String address() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
