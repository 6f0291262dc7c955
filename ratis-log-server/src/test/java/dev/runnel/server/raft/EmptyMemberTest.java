package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.ratis.conf.RaftProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ReplicaRepair} relies on when a rebuild stalls: {@link GroupAdmin#isClosed} does not
 * mistake a new empty member that is waiting for its leader (Ratis keeps it STARTING until first
 * contact, however long) for a closed one, and a member can be removed before it ever ran.
 */
class EmptyMemberTest {
  @TempDir Path dir;

  @Test
  void anEmptyMemberWaitingForItsLeaderIsNotClosedAndCanBeRemoved() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir)) {
      BrokerRecord b = cluster.broker(0).orElseThrow().clusterState().broker(0).orElseThrow();
      try (GroupAdmin admin = new GroupAdmin(new RaftProperties())) {
        String gid = UUID.randomUUID().toString();
        admin.addEmpty(b, gid);
        assertFalse(admin.isClosed(b, gid), "a new empty member is waiting, not closed");
        // Longer than the election timeout (raft.rpc.timeout.max.ms, 2 s): nobody contacted it.
        Thread.sleep(3_000);
        assertFalse(admin.isClosed(b, gid), "still waiting, not closed");
        assertTrue(admin.list(b).contains(gid));
        admin.remove(b, gid);
        assertTrue(admin.list(b).stream().noneMatch(gid::equals), "a closed member can be removed");
      }
    }
  }
}
