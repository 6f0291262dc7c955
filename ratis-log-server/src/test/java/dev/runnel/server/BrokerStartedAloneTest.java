package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runnel.server.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that starts well before the rest of the metadata quorum registers once the quorum is
 * back. Its first registrations fail (no leader, retries used up), and a Ratis client's ordered
 * requests then all fail for good; before the metadata client was replaced after a failure, such a
 * broker never registered (seen restarting a benchmark cluster whose brokers took 10 s apart to
 * start).
 */
class BrokerStartedAloneTest {
  @TempDir Path dir;

  @Test
  void registersOnceTheQuorumIsBack() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(3, dir)) {
      for (int id = 0; id < 3; id++) {
        cluster.stopBroker(id);
      }
      cluster.startBroker(0);
      Broker alone = cluster.broker(0).orElseThrow();
      // The client's 20 retries 250 ms apart against peers that refuse connections take ~5 s;
      // twice that is sure to have exhausted them at least once.
      Thread.sleep(10_000);
      assertFalse(alone.isReady(), "registered without a quorum");

      cluster.startBroker(1);
      cluster.startBroker(2);
      cluster.awaitReady(Duration.ofSeconds(60));
      assertEquals(3, alone.clusterState().liveBrokerIds(3000).size());
    }
  }
}
