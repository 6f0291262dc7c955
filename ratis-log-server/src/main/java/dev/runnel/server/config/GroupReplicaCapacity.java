package dev.runnel.server.config;

import java.util.List;
import java.util.Locale;

/**
 * How many partition-group replicas a broker can host. Two resources bound it, and the smaller
 * bound wins:
 *
 * <ul>
 *   <li>Direct memory: Ratis gives every group replica, busy or idle, a direct write buffer of
 *       {@code raft.log.write.buffer.bytes} for as long as it is open; once the JVM's limit is used
 *       up, a new replica cannot open and its partitions have no leader.
 *   <li>Heap: Ratis keeps every entry of a replica's open log segment on the heap, and a segment
 *       stays open until it is full or the term changes, so a replica that once took writes holds
 *       a full segment's entries for good, idle or not. With entries that carry their batches
 *       that was about one {@code raft.log.segment.bytes} (4 MiB): 40 topics of 6 partitions, each
 *       written ~11 MB, held 480-485 MiB of a 512 MiB heap after a full GC on every broker. With
 *       entry headers only ({@code raft.log.payload.separate}) it is the headers' heap.
 * </ul>
 *
 * The controller checks this capacity before it accepts a topic, so either failure is a clear
 * refusal instead.
 */
public final class GroupReplicaCapacity {
  /**
   * Direct memory kept back for everything else: both gRPC stacks' pooled Netty buffers (counted
   * against the same limit), the metadata group's write buffer, NIO. Measured: ~17 MiB idle,
   * ~30 MiB under a 1-producer, 1-consumer load with three group replicas (~6 MiB) open.
   */
  static final long RESERVE_BYTES = 64L << 20;

  /**
   * Heap kept back beyond {@code max.inflight.produce.bytes} for everything else: fetch responses
   * being built, gRPC and Ratis request objects, metadata, caches. Measured: ~17 MiB live after a
   * full GC on an idle broker; the rest is headroom for load and for G1, which needs free regions
   * to copy into.
   */
  static final long HEAP_RESERVE_BYTES = 128L << 20;

  private GroupReplicaCapacity() {}

  /**
   * The configured limit, or the one this JVM's direct memory and heap allow.
   *
   * @param heapPerReplicaBytes the heap a replica's open Raft log segment holds
   *     ({@code RaftSettings.heapPerGroupReplica})
   */
  public static int of(ServerConfig config, long directMemoryLimitBytes, long maxHeapBytes,
      long heapPerReplicaBytes) {
    if (config.raftMaxGroupReplicas() > 0) {
      return config.raftMaxGroupReplicas();
    }
    return Math.min(derived(directMemoryLimitBytes, config.raftWriteBufferBytes()),
        heapDerived(maxHeapBytes, config.maxInflightProduceBytes(), heapPerReplicaBytes));
  }

  /** (limit - 64 MiB) / buffer, at least 1. */
  static int derived(long directMemoryLimitBytes, long writeBufferBytes) {
    return atLeastOne((directMemoryLimitBytes - RESERVE_BYTES) / writeBufferBytes);
  }

  /** (heap - in-flight produce bytes - 128 MiB) / heap per replica, at least 1. */
  static int heapDerived(long maxHeapBytes, long inflightProduceBytes, long heapPerReplicaBytes) {
    return atLeastOne((maxHeapBytes - inflightProduceBytes - HEAP_RESERVE_BYTES) / heapPerReplicaBytes);
  }

  private static int atLeastOne(long n) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
  }

  /** This JVM's direct-memory limit. */
  public static long jvmDirectMemoryLimit() {
    return directMemoryLimit(
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
        Runtime.getRuntime().maxMemory());
  }

  /**
   * The JVM's direct-memory limit: the last {@code -XX:MaxDirectMemorySize} given, else the heap's
   * maximum (the JDK's default). Read from the arguments because the JDK exposes the limit only
   * through an internal class.
   */
  static long directMemoryLimit(List<String> jvmArgs, long maxHeapBytes) {
    long limit = -1;
    for (String a : jvmArgs) {
      if (a.startsWith("-XX:MaxDirectMemorySize=")) {
        long v = parseSize(a.substring("-XX:MaxDirectMemorySize=".length()));
        if (v >= 0) {
          limit = v;
        }
      }
    }
    // 0 is the JVM's own "default" value.
    return limit > 0 ? limit : maxHeapBytes;
  }

  /** A HotSpot size ("512m", "2G", "1048576"), or -1 if it is not one. */
  static long parseSize(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    String t = s.toLowerCase(Locale.ROOT);
    long unit = switch (t.charAt(t.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1;
    };
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      long v = Long.parseLong(digits);
      return v < 0 || v > Long.MAX_VALUE / unit ? -1 : v * unit;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
