package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runnel.server.raft.RaftSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupReplicaCapacityTest {
  private static final long MIB = 1L << 20;

  @Test
  void hotspotSizesParse() {
    assertEquals(512 * MIB, GroupReplicaCapacity.parseSize("512m"));
    assertEquals(2L << 30, GroupReplicaCapacity.parseSize("2G"));
    assertEquals(64 << 10, GroupReplicaCapacity.parseSize("64k"));
    assertEquals(1048576, GroupReplicaCapacity.parseSize("1048576"));
    assertEquals(-1, GroupReplicaCapacity.parseSize("lots"));
    assertEquals(-1, GroupReplicaCapacity.parseSize(""));
    assertEquals(-1, GroupReplicaCapacity.parseSize("99999999999999999999g"));
  }

  @Test
  void theLastMaxDirectMemorySizeWinsAndTheHeapIsTheDefault() {
    long heap = 512 * MIB;
    assertEquals(heap, GroupReplicaCapacity.directMemoryLimit(List.of("-Xmx512m"), heap));
    assertEquals(48 * MIB, GroupReplicaCapacity.directMemoryLimit(
        List.of("-XX:MaxDirectMemorySize=1g", "-XX:MaxDirectMemorySize=48m"), heap));
    // 0 is HotSpot's own "use the default", as is a value it would reject.
    assertEquals(heap, GroupReplicaCapacity.directMemoryLimit(List.of("-XX:MaxDirectMemorySize=0"), heap));
    assertEquals(heap, GroupReplicaCapacity.directMemoryLimit(List.of("-XX:MaxDirectMemorySize=x"), heap));
  }

  @Test
  void derivedCapacityKeeps64MiBBackAndIsAtLeastOne() {
    long buffer = 2 * MIB + 64 * 1024;
    // 512 MiB - 64 MiB reserve = 448 MiB / 2.0625 MiB
    assertEquals(217, GroupReplicaCapacity.derived(512 * MIB, buffer));
    assertEquals(93, GroupReplicaCapacity.derived(256 * MIB, buffer));
    // Below the reserve a broker still takes one group replica rather than none.
    assertEquals(1, GroupReplicaCapacity.derived(48 * MIB, buffer));
  }

  @Test
  void heapCapacityKeepsInflightAnd128MiBBackAndIsAtLeastOne() {
    // Entries with their batches in the Raft log: a replica holds a ~4.1 MiB segment.
    ServerConfig inline = ServerConfig.of(Map.of("raft.log.payload.separate", "false"));
    long segment = RaftSettings.heapPerGroupReplica(inline);
    assertEquals(RaftSettings.segmentBytes(inline), segment);
    // 512 MiB - 64 MiB in flight - 128 MiB reserve = 320 MiB / ~4.1 MiB per segment
    assertEquals(77, GroupReplicaCapacity.heapDerived(512 * MIB, 64 * MIB, segment));
    assertEquals(20, GroupReplicaCapacity.heapDerived(512 * MIB, 64 * MIB, 16 * MIB));
    assertEquals(1, GroupReplicaCapacity.heapDerived(128 * MIB, 64 * MIB, segment));
    // Headers only (the default): 4 KiB segments at 10 bytes of heap per byte, 40 KiB each.
    long headers = RaftSettings.heapPerGroupReplica(ServerConfig.of(Map.of()));
    assertEquals(10 * 4 * 1024, headers);
    assertEquals(8192, GroupReplicaCapacity.heapDerived(512 * MIB, 64 * MIB, headers));
  }

  @Test
  void theLowerOfTheDirectAndHeapLimitsWins() {
    ServerConfig defaults = ServerConfig.of(Map.of());
    long perReplica = RaftSettings.heapPerGroupReplica(defaults);
    // The default broker (-Xmx512m, so 512 MiB of direct memory too): direct memory binds.
    assertEquals(217, GroupReplicaCapacity.of(defaults, 512 * MIB, 512 * MIB, perReplica));
    // Plenty of heap, little direct memory: direct memory binds.
    assertEquals(93, GroupReplicaCapacity.of(defaults, 256 * MIB, 4096 * MIB, perReplica));
    // Batches in the log, larger segments: more heap per replica (16 MiB: 20 of them fit).
    ServerConfig big = ServerConfig.of(Map.of("raft.log.segment.bytes", "16MiB",
        "raft.log.payload.separate", "false"));
    assertEquals(20, GroupReplicaCapacity.of(big, 512 * MIB, 512 * MIB,
        RaftSettings.heapPerGroupReplica(big)));
    // Inline, the segment is raised to two largest entries whatever is configured.
    ServerConfig small = ServerConfig.of(Map.of("raft.log.payload.separate", "false"));
    assertEquals(77, GroupReplicaCapacity.of(small, 512 * MIB, 512 * MIB,
        RaftSettings.heapPerGroupReplica(small)));
  }

  @Test
  void aConfiguredLimitWinsOverTheDerivedOne() {
    ServerConfig set = ServerConfig.of(Map.of("raft.max.group.replicas", "400"));
    assertEquals(400, GroupReplicaCapacity.of(set, 512 * MIB, 512 * MIB, 4 * MIB));
  }
}
