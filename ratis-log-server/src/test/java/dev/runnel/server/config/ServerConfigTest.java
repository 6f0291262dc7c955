package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

  private static final int MIB = 1024 * 1024;

  @Test
  void defaultsAreValidAndMatchTheDocumentedValues() {
    final ServerConfig config = ServerConfig.defaults();
    assertEquals(0, config.brokerId());
    assertEquals(Path.of("./data"), config.dataDir());
    assertEquals("0.0.0.0", config.listenHost());
    assertEquals("localhost", config.advertisedHost());
    assertEquals(9292, config.clientPort());
    assertEquals(9293, config.raftPort());
    assertEquals(9294, config.httpPort());
    assertEquals("", config.rack());
    assertEquals(List.of(new QuorumMember(0, "localhost", 9293)), config.metadataQuorum());
    assertTrue(config.isControllerEligible());
    assertEquals(1, config.numPartitions());
    assertEquals(3, config.defaultReplicationFactor());
    assertEquals(1024, config.maxPartitionsPerTopic());
    assertEquals(3, config.raftGroupsPerTopic());
    assertEquals(MIB, config.maxRecordBytes());
    assertEquals(2 * MIB, config.maxBatchBytes());
    assertEquals(100_000, config.maxBatchRecords());
    assertEquals(16 * MIB, config.maxRequestBytes());
    assertEquals(8 * MIB, config.fetchMaxBytes());
    assertEquals(30_000, config.fetchMaxWaitMs());
    assertEquals(30_000, config.requestTimeoutMs());
    assertEquals(1024, config.maxInflightRequests());
    assertEquals(64L << 20, config.maxInflightProduceBytes());
    assertEquals(1000, config.maxSubscriptions());
    assertEquals(604_800_000L, config.retentionMs());
    assertEquals(-1L, config.retentionBytes());
    assertEquals(Duration.ofMillis(1000), config.raftRpcTimeoutMin());
    assertEquals(Duration.ofMillis(2000), config.raftRpcTimeoutMax());
    assertEquals(Duration.ofSeconds(30), config.raftFollowerStallTimeout());
    assertEquals(4L * 1024, config.raftSegmentBytes());
    assertTrue(config.raftLogPayloadSeparate());
    assertEquals(2L * MIB + 64 * 1024, config.raftWriteBufferBytes());
    assertEquals(64L * MIB, config.blockCacheBytes());
    assertEquals(128L * MIB, config.writeBufferTotalBytes());
    assertEquals(2, config.storageBackgroundJobs());
    assertEquals(Duration.ofMillis(1000), config.heartbeatInterval());
    assertEquals(Duration.ofMillis(6000), config.sessionTimeout());
    assertEquals(Duration.ofMillis(500), config.controllerReconcileInterval());
    assertEquals("default", config.sourceOf(ServerConfigKeys.CLIENT_PORT));
  }

  @Test
  void textFormRoundTripsThroughOf() {
    final ServerConfig config = ServerConfig.builder()
        .set(ServerConfigKeys.CLIENT_PORT, 0)
        .set(ServerConfigKeys.SESSION_TIMEOUT, Duration.ofSeconds(9))
        .set(ServerConfigKeys.METADATA_QUORUM, List.of(
            new QuorumMember(0, "a", 9293), new QuorumMember(1, "::1", 2)))
        .set("broker.rack", "r1")
        .build();
    assertEquals(config, ServerConfig.of(config.asText()));
    assertEquals(config, config.toBuilder().build());
    assertEquals("0@a:9293,1@[::1]:2", config.asText().get("metadata.quorum"));
    assertTrue(config.toString().contains("client.port=0\n"));
  }

  @Test
  void byteSizesAcceptBinarySuffixes() {
    final ServerConfig config = ServerConfig.of(Map.of(
        "max.batch.bytes", "2MiB", "max.record.bytes", "512 KiB",
        "storage.block.cache.bytes", "1gib", "retention.bytes", "-1"));
    assertEquals(2 * MIB, config.maxBatchBytes());
    assertEquals(512 * 1024, config.maxRecordBytes());
    assertEquals(1024L * MIB, config.blockCacheBytes());
    assertEquals(-1L, config.retentionBytes());
  }

  @Test
  void valuesAreTrimmed() {
    assertEquals(9392, ServerConfig.of(Map.of("client.port", " 9392\t")).clientPort());
  }

  /** One bad value per key: the error names the key, quotes the value and says what is allowed. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "broker.id | -1 | is out of range (0..2147483647)",
      "broker.id | 1.5 | is not an integer",
      "broker.rack | 'rack a' | is not allowed (at most 255 characters, no whitespace)",
      "data.dir | '' | is empty",
      "listen.host | 'a b' | is not a host",
      "advertised.host | 0.0.0.0 | is not a connectable host",
      "client.port | abc | is not an integer (0..65535, 0 = any free port)",
      "raft.port | 65536 | is not a valid port (0..65535, 0 = any free port)",
      "http.port | -1 | is not a valid port",
      "metadata.quorum | 0@host | has an invalid entry '0@host' (expected id@host:port)",
      "num.partitions | 0 | is out of range (1..100000)",
      "default.replication.factor | 17 | is out of range (1..16)",
      "max.partitions.per.topic | 100001 | is out of range (1..100000)",
      "raft.groups.per.topic | 0 | is out of range (1..100000)",
      "raft.max.group.replicas | -1 | is out of range (0..1000000)",
      "retention.ms | -2 | is out of range (-1 = unlimited, or >= 0 ms)",
      "retention.bytes | 1TB | is not a byte count",
      "max.record.bytes | 0 | is out of range (1..64 MiB)",
      "max.batch.bytes | 65MiB | is out of range (1 KiB..64 MiB)",
      "max.batch.records | 0 | is out of range (1..1000000)",
      "max.request.bytes | 3GiB | is too large",
      "fetch.max.bytes | 100 | is out of range (1 KiB..256 MiB)",
      "fetch.max.wait.ms | 300001 | is out of range (0..300000)",
      "request.timeout.ms | 0 | is out of range (1..600000)",
      "max.inflight.requests | 0 | is out of range (1..65536)",
      "max.inflight.produce.bytes | 65GiB | is out of range (1 KiB..64 GiB)",
      "max.subscriptions | x | is not an integer",
      "raft.rpc.timeout.min.ms | 49 | is out of range (50..60000)",
      "raft.rpc.timeout.max.ms | 1s | is not a whole number of milliseconds",
      "raft.follower.stall.timeout.ms | 999 | is out of range (0 = off, or 1000..3600000)",
      "raft.follower.stall.timeout.ms | -1 | is out of range (0 = off, or 1000..3600000)",
      "raft.log.segment.bytes | 1KiB | is out of range (4 KiB..1 GiB)",
      "raft.log.payload.separate | yes | is not true or false",
      "raft.log.write.buffer.bytes | 1GiB | is out of range (64 KiB..256 MiB)",
      "raft.log.sync.max.entries | 0 | is out of range (1..4096)",
      "raft.snapshot.threshold.entries | 15 | is out of range (16..100000000)",
      "raft.snapshot.threshold.bytes | 1000KiB | is out of range (1 MiB..1024 GiB)",
      "raft.snapshot.jitter.percent | 91 | is out of range (0..90)",
      "storage.block.cache.bytes | 0 | is out of range (1 MiB..1024 GiB)",
      "storage.write.buffer.total.bytes | 99999999999999999999 | is not a byte count",
      "storage.background.jobs | 65 | is out of range (1..64)",
      "storage.min.free.bytes | 1025GiB | is out of range (0..1024 GiB)",
      "storage.free.check.interval.ms | 9 | is out of range (10..60000)",
      "broker.heartbeat.interval.ms | 9 | is out of range (10..60000)",
      "broker.session.timeout.ms | 99 | is out of range (100..600000)",
      "controller.reconcile.interval.ms | 60001 | is out of range (10..60000)",
      "retention.check.interval.ms | 9 | is out of range (10..3600000)",
      "storage.verify.on.start | sometimes | must be always, after-crash or never",
      "storage.direct.io | yes | must be auto, on or off",
      "metrics.ratis | true | must be on or off",
  })
  void everyValidatorRejectsBadValuesNamingTheKey(String key, String value, String expected) {
    final ConfigException e = assertThrows(ConfigException.class,
        () -> ServerConfig.of(Map.of(key, value)));
    assertEquals(1, e.errors().size(), e.getMessage());
    final String error = e.errors().get(0);
    assertTrue(error.startsWith(key + ": '" + value.trim() + "' "), error);
    assertTrue(error.contains(expected), error);
    assertTrue(error.endsWith(", from ServerConfig.of"), error);
  }

  @Test
  void everyKeyIsCoveredByTheValidatorTest() throws Exception {
    final var method = getClass().getDeclaredMethod(
        "everyValidatorRejectsBadValuesNamingTheKey", String.class, String.class, String.class);
    final String rows = String.join("\n", method.getAnnotation(CsvSource.class).value());
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      assertTrue(rows.contains(key.name() + " |"), "no bad-value case for " + key.name());
    }
  }

  @Test
  void allErrorsAreReportedTogether() {
    final ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.of(Map.of(
        "client.port", "abc", "broker.id", "-3", "no.such.key", "1")));
    assertEquals(3, e.errors().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("3 configuration errors:"), e.getMessage());
    assertTrue(e.getMessage().contains("client.port: 'abc'"), e.getMessage());
    assertTrue(e.getMessage().contains("broker.id: '-3'"), e.getMessage());
    assertTrue(e.getMessage().contains("no.such.key: unknown configuration key"), e.getMessage());
  }

  @Test
  void unknownKeySuggestsTheClosestKey() {
    final ConfigException e = assertThrows(ConfigException.class,
        () -> ServerConfig.of(Map.of("client_prot", "1")));
    assertEquals("client_prot: unknown configuration key, from ServerConfig.of "
        + "(did you mean 'client.port'?)", e.errors().get(0));
    final ConfigException far = assertThrows(ConfigException.class,
        () -> ServerConfig.of(Map.of("zzzzzzzzzzzz", "1")));
    assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
  }

  @Test
  void longAndMultiLineValuesStayOnOneShortLine() {
    final ConfigException e = assertThrows(ConfigException.class,
        () -> ServerConfig.of(Map.of("client.port", "12\n34" + "9".repeat(500))));
    final String error = e.errors().get(0);
    assertFalse(error.contains("\n"), error);
    assertTrue(error.length() < 250, error);
  }
}
