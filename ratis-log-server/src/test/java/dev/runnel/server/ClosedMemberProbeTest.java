package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.server.raft.GroupAdmin;
import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ReplicaRepair} starts a stalled rebuild over only once the new member is closed, which it
 * learns from {@link GroupAdmin#isClosed}. A closed member answers a read by rejecting it (its
 * executor is shut down), not with the "CLOSED" state error the probe looked for: the probe said
 * "not closed", and a rebuild whose new member had closed itself waited for good (DamagedReplicaTest
 * timed out so in CI).
 */
class ClosedMemberProbeTest {
  @TempDir Path dir;

  @Test
  void aClosedMemberIsReportedClosedAndARunningOneIsNot() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir); TestClient c = new TestClient(cluster.bootstrap())) {
      String gid = ClusterFixture.createTopic(c, "probe", 1, 1).getPartitions(0).getRaftGroupId();
      Broker broker = cluster.brokers().get(0);
      BrokerRecord b = broker.clusterState().broker(0).orElseThrow();
      try (GroupAdmin admin = new GroupAdmin(new RaftProperties())) {
        GroupAdmin.MemberProbe running = admin.probe(b, gid);
        assertFalse(running.closed(), running.answer());
        assertTrue(broker.suspension().stop(RaftGroupId.valueOf(UUID.fromString(gid))));
        GroupAdmin.MemberProbe closed = admin.probe(b, gid);
        assertTrue(closed.closed(), closed.answer());
      }
    }
  }
}
