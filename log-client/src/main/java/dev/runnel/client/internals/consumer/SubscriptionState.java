package dev.runnel.client.internals.consumer;

import dev.runnel.client.TopicPartition;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.internals.net.ClusterView;
import dev.runnel.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the consumer reads and where: the subscription (topics, pattern, or a user assignment), the
 * assigned partitions and each one's position, pause flag and pending reset. Shared by the user's
 * thread and the fetch thread, so every method is synchronized.
 *
 * <p>Without consumer groups, a subscription assigns every partition of the subscribed topics (or of
 * the topics matching the pattern) as metadata reveals them.
 */
public final class SubscriptionState {

  /** How the assignment is decided. */
  public enum Mode { NONE, TOPICS, PATTERN, USER_ASSIGNED }

  private static final class PartitionState {
    Long position;
    OffsetReset pendingReset;
    boolean paused;
    RunnelException error;
    long errorOffset = -1;
  }

  private final OffsetReset defaultReset;
  private final Map<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();
  private Mode mode = Mode.NONE;
  private Set<String> topics = Set.of();
  private Pattern pattern;
  private long generation;

  public SubscriptionState(OffsetReset defaultReset) {
    this.defaultReset = defaultReset;
  }

  public synchronized void subscribe(Collection<String> newTopics) {
    checkMode(Mode.TOPICS);
    mode = newTopics.isEmpty() ? Mode.NONE : Mode.TOPICS;
    topics = Set.copyOf(new LinkedHashSet<>(newTopics));
    pattern = null;
    assignment.keySet().removeIf(tp -> !topics.contains(tp.topic()));
    generation++;
  }

  public synchronized void subscribe(Pattern newPattern) {
    checkMode(Mode.PATTERN);
    mode = Mode.PATTERN;
    pattern = newPattern;
    topics = Set.of();
    assignment.keySet().removeIf(tp -> !newPattern.matcher(tp.topic()).matches());
    generation++;
  }

  public synchronized void assign(Collection<TopicPartition> partitions) {
    checkMode(Mode.USER_ASSIGNED);
    mode = partitions.isEmpty() ? Mode.NONE : Mode.USER_ASSIGNED;
    topics = Set.of();
    pattern = null;
    assignment.keySet().retainAll(partitions);
    for (TopicPartition tp : partitions) {
      assignment.computeIfAbsent(tp, k -> newState());
    }
    generation++;
  }

  public synchronized void unsubscribe() {
    mode = Mode.NONE;
    topics = Set.of();
    pattern = null;
    assignment.clear();
    generation++;
  }

  private void checkMode(Mode wanted) {
    if (mode != Mode.NONE && mode != wanted) {
      throw new IllegalStateException("subscribing to topics, to a pattern and assigning partitions are"
          + " mutually exclusive: call unsubscribe() first");
    }
  }

  private PartitionState newState() {
    PartitionState s = new PartitionState();
    s.pendingReset = defaultReset;
    return s;
  }

  /**
   * Brings a topic or pattern subscription up to date with metadata: adds partitions of matching
   * topics (starting per {@code auto.offset.reset}) and drops those of topics no longer there.
   *
   * @return whether the assignment changed
   */
  public synchronized boolean updateFromMetadata(ClusterView view) {
    if (mode != Mode.TOPICS && mode != Mode.PATTERN) {
      return false;
    }
    Set<TopicPartition> wanted = new LinkedHashSet<>();
    for (ClusterView.TopicView t : view.topics().values()) {
      boolean matches = mode == Mode.TOPICS ? topics.contains(t.name())
          : pattern.matcher(t.name()).matches();
      if (matches && t.error() == ErrorCode.ERROR_NONE) {
        t.partitions().forEach(p -> wanted.add(p.tp()));
      }
    }
    // A topic that is only missing from this answer (an error for it) keeps its partitions.
    for (TopicPartition tp : assignment.keySet()) {
      ClusterView.TopicView t = view.topic(tp.topic());
      if (t != null && t.error() != ErrorCode.ERROR_NONE && t.error() != ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        wanted.add(tp);
      }
    }
    boolean changed = assignment.keySet().retainAll(wanted);
    for (TopicPartition tp : wanted) {
      if (!assignment.containsKey(tp)) {
        assignment.put(tp, newState());
        changed = true;
      }
    }
    if (changed) {
      generation++;
    }
    return changed;
  }

  public synchronized Mode mode() {
    return mode;
  }

  /** Topics whose metadata the consumer needs; empty with {@link #wantsAllTopics()}. */
  public synchronized Set<String> metadataTopics() {
    if (mode == Mode.TOPICS) {
      return topics;
    }
    Set<String> out = new LinkedHashSet<>();
    assignment.keySet().forEach(tp -> out.add(tp.topic()));
    return out;
  }

  public synchronized boolean wantsAllTopics() {
    return mode == Mode.PATTERN;
  }

  public synchronized Set<String> subscription() {
    return mode == Mode.TOPICS ? topics : Set.of();
  }

  public synchronized Set<TopicPartition> assignment() {
    return Set.copyOf(assignment.keySet());
  }

  public synchronized boolean isAssigned(TopicPartition tp) {
    return assignment.containsKey(tp);
  }

  /** Changes whenever the assignment changes. */
  public synchronized long generation() {
    return generation;
  }

  private PartitionState state(TopicPartition tp) {
    PartitionState s = assignment.get(tp);
    if (s == null) {
      throw new IllegalStateException("partition " + tp + " is not assigned to this consumer");
    }
    return s;
  }

  public synchronized Long position(TopicPartition tp) {
    return state(tp).position;
  }

  /** Sets the position after records were returned; no effect if the partition left. */
  public synchronized void advance(TopicPartition tp, long nextOffset) {
    PartitionState s = assignment.get(tp);
    if (s != null) {
      s.position = nextOffset;
    }
  }

  /** An explicit seek: clears any pending reset or error. */
  public synchronized void seek(TopicPartition tp, long offset) {
    PartitionState s = state(tp);
    s.position = offset;
    s.pendingReset = null;
    s.error = null;
    s.errorOffset = -1;
  }

  /** Asks for the position to be looked up per {@code strategy} (seekToBeginning/End, resets). */
  public synchronized void requestReset(TopicPartition tp, OffsetReset strategy) {
    PartitionState s = state(tp);
    s.pendingReset = strategy;
    s.position = null;
    s.error = null;
  }

  /** Completes a reset if it is still the one asked for. */
  public synchronized void completeReset(TopicPartition tp, OffsetReset strategy, long offset) {
    PartitionState s = assignment.get(tp);
    if (s != null && s.pendingReset == strategy) {
      s.position = offset;
      s.pendingReset = null;
    }
  }

  /** Partitions waiting for a position lookup (EARLIEST or LATEST). */
  public synchronized Map<TopicPartition, OffsetReset> pendingResets() {
    Map<TopicPartition, OffsetReset> out = new LinkedHashMap<>();
    assignment.forEach((tp, s) -> {
      if (s.pendingReset != null && s.pendingReset != OffsetReset.NONE) {
        out.put(tp, s.pendingReset);
      }
    });
    return out;
  }

  /** Partitions that have no position and may not look one up ({@code auto.offset.reset=none}). */
  public synchronized List<TopicPartition> missingPositions() {
    List<TopicPartition> out = new ArrayList<>();
    assignment.forEach((tp, s) -> {
      if (s.position == null && s.pendingReset == OffsetReset.NONE) {
        out.add(tp);
      }
    });
    return out;
  }

  /** Partitions with a position, not paused and without a pending error: the ones to fetch. */
  public synchronized Map<TopicPartition, Long> fetchable() {
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    assignment.forEach((tp, s) -> {
      if (s.position != null && !s.paused && s.error == null) {
        out.put(tp, s.position);
      }
    });
    return out;
  }

  /** Records an error to report from poll, if the position is still {@code atOffset}. */
  public synchronized void setError(TopicPartition tp, long atOffset, RunnelException error) {
    PartitionState s = assignment.get(tp);
    if (s != null && s.position != null && s.position == atOffset) {
      s.error = error;
      s.errorOffset = atOffset;
    }
  }

  /** The first pending error, to throw from poll; it stays until the user seeks. */
  public synchronized RunnelException firstError() {
    for (PartitionState s : assignment.values()) {
      if (s.error != null) {
        return s.error;
      }
    }
    return null;
  }

  /** Handles OFFSET_OUT_OF_RANGE at {@code offset}: reset per the default, or report the error. */
  public synchronized void outOfRange(TopicPartition tp, long offset, RunnelException ifNone) {
    PartitionState s = assignment.get(tp);
    if (s == null || s.position == null || s.position != offset) {
      return;
    }
    if (defaultReset == OffsetReset.NONE) {
      s.error = ifNone;
      s.errorOffset = offset;
    } else {
      s.position = null;
      s.pendingReset = defaultReset;
    }
  }

  public synchronized void pause(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> state(tp).paused = true);
  }

  public synchronized void resume(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> state(tp).paused = false);
  }

  public synchronized Set<TopicPartition> paused() {
    Set<TopicPartition> out = new LinkedHashSet<>();
    assignment.forEach((tp, s) -> {
      if (s.paused) {
        out.add(tp);
      }
    });
    return out;
  }

  public synchronized boolean isPaused(TopicPartition tp) {
    PartitionState s = assignment.get(tp);
    return s != null && s.paused;
  }
}
