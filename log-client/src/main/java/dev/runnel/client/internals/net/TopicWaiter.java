package dev.runnel.client.internals.net;

import dev.runnel.client.PartitionInfo;
import dev.runnel.client.errors.InterruptException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.UnknownTopicOrPartitionException;
import dev.runnel.client.internals.Errors;
import dev.runnel.client.internals.Time;
import dev.runnel.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** Waits until metadata describes a topic (and a given partition), as {@code send} needs. */
public final class TopicWaiter {
  private TopicWaiter() {}

  /**
   * Returns a view that has {@code topic} with {@code partition} (if not null), refreshing metadata as
   * needed until {@code deadlineMs} (monotonic).
   *
   * @throws TimeoutException if the topic does not appear in time (it may not exist)
   * @throws UnknownTopicOrPartitionException if the partition is beyond the topic's partition count
   *     after a fresh look at metadata
   * @throws dev.runnel.client.errors.ApiException for a topic the broker reports a non-retriable
   *     error for (an invalid name, say)
   */
  public static ClusterView awaitTopic(Metadata metadata, Time time, String topic, Integer partition,
      long deadlineMs, long waitedForMs) {
    metadata.addTopics(List.of(topic));
    boolean rechecked = false;
    while (true) {
      ClusterView view = metadata.view();
      ClusterView.TopicView t = view.topic(topic);
      if (t != null && t.error() != ErrorCode.ERROR_NONE && !Errors.isRetriable(t.error())) {
        throw Errors.exception(t.error(), "topic '" + topic + "': " + t.error());
      }
      if (t != null && t.error() == ErrorCode.ERROR_NONE && !t.partitions().isEmpty()) {
        if (partition == null || partition < t.partitions().size()) {
          return view;
        }
        if (rechecked) {
          throw new UnknownTopicOrPartitionException("partition " + partition + " of topic '" + topic
              + "' does not exist: the topic has " + t.partitions().size() + " partitions");
        }
        rechecked = true;
      }
      long seen = metadata.attempts();
      try {
        if (!metadata.awaitUpdate(seen, deadlineMs)) {
          RunnelException last = metadata.lastError();
          throw new TimeoutException("topic '" + topic + "' not present in metadata after "
              + waitedForMs + " ms" + (t == null ? "" : " (brokers report " + t.error() + ")")
              + (last == null ? "" : "; last metadata error: " + last.getMessage())
              + ". Does the topic exist?", last);
        }
      } catch (InterruptedException e) {
        throw new InterruptException("interrupted while waiting for metadata of '" + topic + "'", e);
      }
    }
  }

  /** The partitions of a topic in a view, as public value objects. */
  public static List<PartitionInfo> partitions(ClusterView view, String topic) {
    List<PartitionInfo> out = new ArrayList<>();
    for (ClusterView.PartitionView p : view.topic(topic).partitions()) {
      out.add(new PartitionInfo(topic, p.tp().partition(), p.leaderId(), p.leaderEpoch(), p.replicas(),
          -1, -1, ""));
    }
    return out;
  }
}
