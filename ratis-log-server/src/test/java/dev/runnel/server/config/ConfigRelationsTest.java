package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRelationsTest {

  private static String onlyError(Map<String, String> settings) {
    final ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.of(settings));
    assertEquals(1, e.errors().size(), e.getMessage());
    return e.errors().get(0);
  }

  @Test
  void partitionDefaultMustFitTheMaximum() {
    assertEquals("num.partitions: '11' must be at most max.partitions.per.topic (10)",
        onlyError(Map.of("num.partitions", "11", "max.partitions.per.topic", "10")));
  }

  @Test
  void recordBatchAndRequestSizesAreOrdered() {
    assertEquals("max.record.bytes: '2097152' must be at most max.batch.bytes (1048576)",
        onlyError(Map.of("max.record.bytes", "2MiB", "max.batch.bytes", "1MiB",
            "raft.log.write.buffer.bytes", "2MiB")));
    assertEquals("max.request.bytes: '1048576' must be at least max.batch.bytes (2097152)",
        onlyError(Map.of("max.request.bytes", "1MiB")));
    assertEquals("max.inflight.produce.bytes: '8388608' must be at least max.request.bytes "
        + "(16777216)", onlyError(Map.of("max.inflight.produce.bytes", "8MiB")));
  }

  @Test
  void raftBuffersMustHoldTheLargestBatchPlusOverhead() {
    assertEquals("raft.log.write.buffer.bytes: '2097152' must be at least max.batch.bytes "
        + "+ 64 KiB (2162688)", onlyError(Map.of("raft.log.write.buffer.bytes", "2MiB")));
    assertDoesNotThrow(() -> ServerConfig.of(Map.of("max.batch.bytes", "192KiB",
        "max.record.bytes", "192KiB", "raft.log.write.buffer.bytes", "256KiB",
        "raft.log.segment.bytes", "1MiB")));
  }

  @Test
  void electionTimeoutMaxMustExceedMin() {
    assertEquals("raft.rpc.timeout.max.ms: '1000' must be greater than raft.rpc.timeout.min.ms "
        + "(1000)", onlyError(Map.of("raft.rpc.timeout.max.ms", "1000")));
  }

  @Test
  void sessionTimeoutMustExceedTwoHeartbeats() {
    assertEquals("broker.session.timeout.ms: '2000' must be greater than 2 x "
        + "broker.heartbeat.interval.ms (2000)",
        onlyError(Map.of("broker.session.timeout.ms", "2000")));
  }

  @Test
  void portsMustDifferUnlessZero() {
    assertEquals("http.port: '9293' must differ from raft.port",
        onlyError(Map.of("http.port", "9293")));
    assertDoesNotThrow(() -> ServerConfig.of(
        Map.of("client.port", "0", "raft.port", "0", "http.port", "0")));
  }

  @Test
  void ownQuorumEntryMustUseTheRaftPort() {
    assertEquals("metadata.quorum: '0@localhost:9293,1@b:9393' lists this broker "
        + "(1@b:9393) with a port other than raft.port (9293)",
        onlyError(Map.of("broker.id", "1", "metadata.quorum", "0@localhost:9293,1@b:9393")));
    // Port 0 is picked at bind time, so the quorum cannot be checked against it.
    assertDoesNotThrow(() -> ServerConfig.of(Map.of("raft.port", "0")));
    // A broker outside the quorum is not controller-eligible and is not checked.
    final ServerConfig outside = ServerConfig.of(Map.of("broker.id", "7"));
    assertEquals(false, outside.isControllerEligible());
  }

  @Test
  void everyRuleIsDocumented() {
    assertEquals(7, ConfigRelations.DESCRIPTIONS.size());
    final String docs = ConfigDocs.markdown();
    for (String rule : ConfigRelations.DESCRIPTIONS) {
      assertEquals(true, docs.contains(rule), rule);
    }
  }
}
