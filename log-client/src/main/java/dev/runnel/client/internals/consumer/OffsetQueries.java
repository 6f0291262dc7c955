package dev.runnel.client.internals.consumer;

import dev.runnel.client.OffsetAndTimestamp;
import dev.runnel.client.PartitionInfo;
import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.internals.Errors;
import dev.runnel.client.internals.Time;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.client.internals.net.Metadata;
import dev.runnel.client.internals.net.TopicWaiter;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ListOffsetsResult;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consumer's blocking lookups that do not touch positions: offsets by time, beginning and end
 * offsets, and partitions of a topic. Topics asked about are added to the metadata the consumer
 * keeps, so their leaders are known.
 */
public final class OffsetQueries {
  private final Metadata metadata;
  private final OffsetLookup offsets;
  private final Set<String> extraTopics;
  private final Time time;

  public OffsetQueries(Metadata metadata, OffsetLookup offsets, Set<String> extraTopics, Time time) {
    this.metadata = metadata;
    this.offsets = offsets;
    this.extraTopics = extraTopics;
    this.time = time;
  }

  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
      long timeoutMs) {
    timestamps.forEach((tp, ts) -> {
      if (ts == null || ts < 0) {
        throw new IllegalArgumentException("timestamp for " + tp + " must be >= 0, got " + ts);
      }
    });
    Map<TopicPartition, ListOffsetsResult> found = lookup(timestamps, timeoutMs);
    Map<TopicPartition, OffsetAndTimestamp> out = new LinkedHashMap<>();
    timestamps.keySet().forEach(tp -> {
      ListOffsetsResult r = found.get(tp);
      out.put(tp, r.getOffset() < 0 ? null : new OffsetAndTimestamp(r.getOffset(), r.getTimestampMs()));
    });
    return out;
  }

  /** Earliest ({@code spec} -2) or latest (-1) offsets. */
  public Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long spec,
      long timeoutMs) {
    Map<TopicPartition, Long> specs = new LinkedHashMap<>();
    partitions.forEach(tp -> specs.put(tp, spec));
    Map<TopicPartition, ListOffsetsResult> found = lookup(specs, timeoutMs);
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    partitions.forEach(tp -> out.put(tp, found.get(tp).getOffset()));
    return out;
  }

  private Map<TopicPartition, ListOffsetsResult> lookup(Map<TopicPartition, Long> specs,
      long timeoutMs) {
    Set<String> topics = new HashSet<>();
    specs.keySet().forEach(tp -> topics.add(tp.topic()));
    extraTopics.addAll(topics);
    metadata.addTopics(topics);
    return offsets.lookup(specs, timeoutMs);
  }

  /** The partitions of a topic; empty if the brokers say it does not exist. */
  public List<PartitionInfo> partitionsFor(String topic, long timeoutMs) {
    extraTopics.add(topic);
    metadata.addTopics(List.of(topic));
    long deadline = time.monoMs() + timeoutMs;
    try {
      while (true) {
        ClusterView view = metadata.view();
        ClusterView.TopicView t = view.topic(topic);
        if (t != null && t.error() == ErrorCode.ERROR_NONE) {
          return TopicWaiter.partitions(view, topic);
        }
        if (t != null && t.error() == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
          return List.of();
        }
        if (t != null && !Errors.isRetriable(t.error())) {
          throw Errors.exception(t.error(), "topic '" + topic + "': " + t.error());
        }
        if (!metadata.awaitUpdate(metadata.attempts(), deadline)) {
          throw new TimeoutException("no metadata for topic '" + topic + "' within " + timeoutMs
              + " ms");
        }
      }
    } catch (InterruptedException e) {
      throw new InterruptException("interrupted while fetching metadata", e);
    }
  }
}
