package dev.runnel.client;

import java.util.List;

/**
 * The cluster as described by {@code Admin.describeCluster}.
 *
 * @param clusterId the cluster id
 * @param controllerId broker id of the current controller, or -1 when unknown
 * @param brokers every registered broker
 * @param metadataVersion grows whenever cluster metadata changes
 */
public record ClusterDescription(String clusterId, int controllerId, List<BrokerNode> brokers,
    long metadataVersion) {

  public ClusterDescription {
    brokers = List.copyOf(brokers);
  }
}
