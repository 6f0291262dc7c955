package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.server.config.QuorumMember;
import dev.runnel.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevClusterPlanTest {

  private static final Path DIR = Path.of("/tmp/runnel-dev");

  @Test
  void singleBrokerIsItsOwnQuorumWithReplicationFactorOne() {
    final DevClusterPlan plan = DevClusterPlan.of(1, DIR, 9292);
    assertEquals(1, plan.brokers().size());
    final ServerConfig config = ServerConfig.of(plan.brokers().get(0).settings());
    assertEquals(0, config.brokerId());
    assertEquals(9292, config.clientPort());
    assertEquals(9293, config.raftPort());
    assertEquals(9294, config.httpPort());
    assertEquals(DIR.resolve("broker-0"), config.dataDir());
    assertEquals(List.of(new QuorumMember(0, "localhost", 9293)), config.metadataQuorum());
    assertEquals(1, config.defaultReplicationFactor());
    assertEquals("localhost:9292", plan.bootstrap());
  }

  @Test
  void fiveBrokersUseSpacedPortsAndTheFirstThreeAsQuorum() {
    final DevClusterPlan plan = DevClusterPlan.of(5, DIR, 10000);
    final List<QuorumMember> quorum = List.of(new QuorumMember(0, "localhost", 10001),
        new QuorumMember(1, "localhost", 10101), new QuorumMember(2, "localhost", 10201));
    for (int i = 0; i < 5; i++) {
      final DevClusterPlan.DevBroker broker = plan.brokers().get(i);
      final ServerConfig config = ServerConfig.of(broker.settings());
      assertEquals(i, config.brokerId());
      assertEquals("broker-" + i, broker.name());
      assertEquals(10000 + 100 * i, config.clientPort());
      assertEquals(10001 + 100 * i, config.raftPort());
      assertEquals(10002 + 100 * i, config.httpPort());
      assertEquals(DIR.resolve("broker-" + i), config.dataDir());
      assertEquals(quorum, config.metadataQuorum());
      assertEquals(3, config.defaultReplicationFactor());
      assertEquals(i < 3, config.isControllerEligible());
    }
    assertEquals("localhost:10000,localhost:10100,localhost:10200,localhost:10300,"
        + "localhost:10400", plan.bootstrap());
  }

  @Test
  void twoBrokersReplicateTwice() {
    final DevClusterPlan plan = DevClusterPlan.of(2, DIR, 9292);
    final ServerConfig config = ServerConfig.of(plan.brokers().get(1).settings());
    assertEquals(2, config.defaultReplicationFactor());
    assertEquals(2, config.metadataQuorum().size());
  }

  @Test
  void relativeDataDirBecomesAbsolute() {
    final DevClusterPlan plan = DevClusterPlan.of(1, Path.of("data"), 9292);
    assertEquals(Path.of("data", "broker-0").toAbsolutePath(), plan.brokers().get(0).dataDir());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 10})
  void brokerCountIsBounded(int count) {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DevClusterPlan.of(count, DIR, 9292));
    assertEquals("--brokers must be 1..9, not " + count, e.getMessage());
  }

  @Test
  void portsMustFitBelow65536() {
    DevClusterPlan.of(3, DIR, 65333);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DevClusterPlan.of(3, DIR, 65334));
    assertEquals("--base-port 65334 does not fit 3 broker(s): they need ports 65334..65536, "
        + "which must lie in 1..65535", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DevClusterPlan.of(1, DIR, 0));
  }
}
