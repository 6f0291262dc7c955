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
 * @param stoppedReplicaCount of its replicas, those it holds stopped after a storage failure, as of
 *     its last heartbeat: a full disk (restarted once space is back) or another write error (until
 *     the broker restarts)
 */
public record BrokerNode(int id, String host, int port, String rack, boolean alive,
    boolean controllerEligible, int replicaCount, int leaderCount, int stoppedReplicaCount) {

  /** {@code host:port}. */
  public String address() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
