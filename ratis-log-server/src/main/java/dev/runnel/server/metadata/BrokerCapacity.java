package dev.runnel.server.metadata;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.internal.PartitionAssignment;
import dev.runnel.proto.internal.TopicRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Partition-group replicas per broker against what each broker says it can host
 * ({@code BrokerRecord.max_group_replicas}, 0 = no limit known). Groups of a topic being deleted
 * count until they are removed: their replicas hold memory until then.
 */
public final class BrokerCapacity {
  private final Map<Integer, Integer> hosted;
  private final Map<Integer, Integer> capacity;

  private BrokerCapacity(Map<Integer, Integer> hosted, Map<Integer, Integer> capacity) {
    this.hosted = hosted;
    this.capacity = capacity;
  }

  public static BrokerCapacity of(Collection<BrokerRecord> brokers, Collection<TopicRecord> topics) {
    Map<Integer, Integer> capacity = new TreeMap<>();
    for (BrokerRecord b : brokers) {
      if (b.getMaxGroupReplicas() > 0) {
        capacity.put(b.getId(), b.getMaxGroupReplicas());
      }
    }
    Map<Integer, Integer> hosted = new TreeMap<>();
    for (TopicRecord t : topics) {
      if (!t.getRemoved()) {
        addGroups(hosted, t);
      }
    }
    return new BrokerCapacity(hosted, capacity);
  }

  private static void addGroups(Map<Integer, Integer> counts, TopicRecord t) {
    for (PartitionAssignment g : ClusterState.groupsOf(t)) {
      for (int b : g.getReplicasList()) {
        counts.merge(b, 1, Integer::sum);
      }
    }
  }

  public int hosted(int brokerId) {
    return hosted.getOrDefault(brokerId, 0);
  }

  /** Room for this many more group replicas; {@link Integer#MAX_VALUE} when no limit is known. */
  public int room(int brokerId) {
    Integer c = capacity.get(brokerId);
    return c == null ? Integer.MAX_VALUE : Math.max(0, c - hosted(brokerId));
  }

  /** The brokers of {@code candidates} with room for {@code groups} more group replicas. */
  public List<Integer> withRoom(List<Integer> candidates, int groups) {
    List<Integer> out = new ArrayList<>();
    for (int b : candidates) {
      if (room(b) >= groups) {
        out.add(b);
      }
    }
    return out;
  }

  /** Why {@code topic}'s groups do not fit, naming the first broker they overfill; empty if they do. */
  public Optional<String> overflow(TopicRecord topic) {
    Map<Integer, Integer> adding = new TreeMap<>();
    addGroups(adding, topic);
    for (Map.Entry<Integer, Integer> e : adding.entrySet()) {
      if (e.getValue() > room(e.getKey())) {
        return Optional.of("topic '" + topic.getName() + "' would put " + e.getValue()
            + " more Raft group replicas on broker " + e.getKey() + ", which hosts "
            + describe(e.getKey()) + "; " + REMEDY);
      }
    }
    return Optional.empty();
  }

  /** "N of M (raft.max.group.replicas)" for one broker. */
  public String describe(int brokerId) {
    Integer c = capacity.get(brokerId);
    return hosted(brokerId) + (c == null ? " (no limit known)" : " of at most " + c);
  }

  /** What an operator can do about a full broker. */
  public static final String REMEDY = "delete topics, add brokers, create the topic with fewer "
      + "partitions or a lower replication factor, or give the brokers more memory, which raises "
      + "their derived raft.max.group.replicas (each group replica holds its open Raft log "
      + "segment on the heap and raft.log.write.buffer.bytes of direct memory: raise -Xmx, and "
      + "-XX:MaxDirectMemorySize if set; docs/operations.md, \"Memory\")";
}
