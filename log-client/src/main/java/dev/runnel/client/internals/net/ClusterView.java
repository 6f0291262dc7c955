package dev.runnel.client.internals.net;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.internals.config.HostPort;
import dev.runnel.proto.v1.BrokerInfo;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.MetadataResponse;
import dev.runnel.proto.v1.PartitionMetadata;
import dev.runnel.proto.v1.TopicMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of cluster metadata: brokers, topics, partition leaders. */
public final class ClusterView {
  /** A partition's placement. {@code leaderId} is -1 when there is no leader. */
  public record PartitionView(TopicPartition tp, int leaderId, long leaderEpoch, List<Integer> replicas) {}

  /** A topic; {@code error} is set (and partitions empty) when the broker could not describe it. */
  public record TopicView(String name, ErrorCode error, String topicId, List<PartitionView> partitions) {}

  public static final ClusterView EMPTY = new ClusterView(Map.of(), Map.of(), -1, -1, "");

  private final Map<Integer, HostPort> brokers;
  private final Map<String, TopicView> topics;
  private final long version;
  private final int controllerId;
  private final String clusterId;

  private ClusterView(Map<Integer, HostPort> brokers, Map<String, TopicView> topics, long version,
      int controllerId, String clusterId) {
    this.brokers = Collections.unmodifiableMap(brokers);
    this.topics = Collections.unmodifiableMap(topics);
    this.version = version;
    this.controllerId = controllerId;
    this.clusterId = clusterId;
  }

  /** Builds a view from a Metadata answer. */
  public static ClusterView of(MetadataResponse r) {
    Map<Integer, HostPort> brokers = new HashMap<>();
    for (BrokerInfo b : r.getBrokersList()) {
      brokers.put(b.getId(), new HostPort(b.getHost(), b.getPort()));
    }
    Map<String, TopicView> topics = new HashMap<>();
    for (TopicMetadata t : r.getTopicsList()) {
      List<PartitionView> parts = new ArrayList<>(t.getPartitionsCount());
      for (PartitionMetadata p : t.getPartitionsList()) {
        parts.add(new PartitionView(new TopicPartition(t.getName(), p.getPartition()), p.getLeaderId(),
            p.getLeaderEpoch(), List.copyOf(p.getReplicasList())));
      }
      parts.sort((a, b) -> Integer.compare(a.tp().partition(), b.tp().partition()));
      topics.put(t.getName(), new TopicView(t.getName(), t.getError(), t.getTopicId(), List.copyOf(parts)));
    }
    return new ClusterView(brokers, topics, r.getMetadataVersion(), r.getControllerId(),
        r.getClusterId());
  }

  /** A copy in which {@code tp} is led by {@code leaderId} at {@code address} (from a NOT_LEADER hint). */
  public ClusterView withLeader(TopicPartition tp, int leaderId, HostPort address) {
    TopicView t = topics.get(tp.topic());
    if (t == null || tp.partition() >= t.partitions().size()) {
      return this;
    }
    List<PartitionView> parts = new ArrayList<>(t.partitions());
    PartitionView old = parts.get(tp.partition());
    parts.set(tp.partition(), new PartitionView(tp, leaderId, old.leaderEpoch(), old.replicas()));
    Map<String, TopicView> newTopics = new HashMap<>(topics);
    newTopics.put(t.name(), new TopicView(t.name(), t.error(), t.topicId(), List.copyOf(parts)));
    Map<Integer, HostPort> newBrokers = new HashMap<>(brokers);
    if (address != null) {
      newBrokers.put(leaderId, address);
    }
    return new ClusterView(newBrokers, newTopics, version, controllerId, clusterId);
  }

  public Map<Integer, HostPort> brokers() {
    return brokers;
  }

  public Map<String, TopicView> topics() {
    return topics;
  }

  public TopicView topic(String name) {
    return topics.get(name);
  }

  /** The partition count, or -1 if the topic is not (successfully) in the view. */
  public int partitionCount(String topic) {
    TopicView t = topics.get(topic);
    return t == null || t.error() != ErrorCode.ERROR_NONE ? -1 : t.partitions().size();
  }

  /** The leader's broker id, or -1 when unknown. */
  public int leaderOf(TopicPartition tp) {
    TopicView t = topics.get(tp.topic());
    if (t == null || tp.partition() >= t.partitions().size()) {
      return -1;
    }
    return t.partitions().get(tp.partition()).leaderId();
  }

  /** The address of a broker, or null. */
  public HostPort address(int brokerId) {
    return brokers.get(brokerId);
  }

  public long version() {
    return version;
  }

  public int controllerId() {
    return controllerId;
  }

  public String clusterId() {
    return clusterId;
  }
}
