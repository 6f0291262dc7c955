package dev.runnel.server.config;

import static dev.runnel.server.config.ServerConfigKeys.BROKER_ID;
import static dev.runnel.server.config.ServerConfigKeys.CLIENT_PORT;
import static dev.runnel.server.config.ServerConfigKeys.HEARTBEAT_INTERVAL;
import static dev.runnel.server.config.ServerConfigKeys.HTTP_PORT;
import static dev.runnel.server.config.ServerConfigKeys.MAX_BATCH_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.MAX_INFLIGHT_PRODUCE_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.MAX_PARTITIONS_PER_TOPIC;
import static dev.runnel.server.config.ServerConfigKeys.MAX_RECORD_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.MAX_REQUEST_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.METADATA_QUORUM;
import static dev.runnel.server.config.ServerConfigKeys.NUM_PARTITIONS;
import static dev.runnel.server.config.ServerConfigKeys.RAFT_ENTRY_OVERHEAD_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.RAFT_PORT;
import static dev.runnel.server.config.ServerConfigKeys.RAFT_RPC_TIMEOUT_MAX;
import static dev.runnel.server.config.ServerConfigKeys.RAFT_RPC_TIMEOUT_MIN;
import static dev.runnel.server.config.ServerConfigKeys.RAFT_WRITE_BUFFER_BYTES;
import static dev.runnel.server.config.ServerConfigKeys.SESSION_TIMEOUT;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rules between keys, checked after every key parsed on its own. A rule whose keys did not parse
 * is skipped: the parse error already names them.
 */
final class ConfigRelations {

  /** The rules in words, for the generated documentation. */
  static final List<String> DESCRIPTIONS = List.of(
      "`num.partitions` <= `max.partitions.per.topic`",
      "`max.record.bytes` <= `max.batch.bytes` <= `max.request.bytes` <= "
          + "`max.inflight.produce.bytes`",
      "`raft.log.write.buffer.bytes` >= `max.batch.bytes` + 64 KiB (one batch is one Raft entry)",
      "`raft.rpc.timeout.max.ms` > `raft.rpc.timeout.min.ms`",
      "`broker.session.timeout.ms` > 2 x `broker.heartbeat.interval.ms`",
      "`client.port`, `raft.port` and `http.port` differ (0 excepted)",
      "if this broker is in `metadata.quorum` and `raft.port` is not 0, its entry uses "
          + "`raft.port`");

  private final Map<String, Object> values;
  private final List<String> errors;

  private ConfigRelations(Map<String, Object> values, List<String> errors) {
    this.values = values;
    this.errors = errors;
  }

  /** Appends one error per broken rule to {@code errors}. */
  static void check(Map<String, Object> values, List<String> errors) {
    new ConfigRelations(values, errors).checkAll();
  }

  private void checkAll() {
    atMost(NUM_PARTITIONS, MAX_PARTITIONS_PER_TOPIC, 0);
    atMost(MAX_RECORD_BYTES, MAX_BATCH_BYTES, 0);
    atLeast(MAX_REQUEST_BYTES, MAX_BATCH_BYTES, 0);
    atLeast(MAX_INFLIGHT_PRODUCE_BYTES, MAX_REQUEST_BYTES, 0);
    atLeast(RAFT_WRITE_BUFFER_BYTES, MAX_BATCH_BYTES, RAFT_ENTRY_OVERHEAD_BYTES);
    if (has(RAFT_RPC_TIMEOUT_MIN, RAFT_RPC_TIMEOUT_MAX)
        && millis(RAFT_RPC_TIMEOUT_MAX) <= millis(RAFT_RPC_TIMEOUT_MIN)) {
      fail(RAFT_RPC_TIMEOUT_MAX, "must be greater than " + RAFT_RPC_TIMEOUT_MIN.name() + " ("
          + millis(RAFT_RPC_TIMEOUT_MIN) + ")");
    }
    if (has(SESSION_TIMEOUT, HEARTBEAT_INTERVAL)
        && millis(SESSION_TIMEOUT) <= 2 * millis(HEARTBEAT_INTERVAL)) {
      fail(SESSION_TIMEOUT, "must be greater than 2 x " + HEARTBEAT_INTERVAL.name() + " ("
          + 2 * millis(HEARTBEAT_INTERVAL) + ")");
    }
    distinctPorts();
    ownQuorumEntry();
  }

  private void distinctPorts() {
    final List<ConfigKey<Integer>> ports = List.of(CLIENT_PORT, RAFT_PORT, HTTP_PORT);
    for (int i = 0; i < ports.size(); i++) {
      for (int j = 0; j < i; j++) {
        final ConfigKey<Integer> a = ports.get(j);
        final ConfigKey<Integer> b = ports.get(i);
        if (has(a, b) && number(a) != 0 && number(a) == number(b)) {
          fail(b, "must differ from " + a.name());
        }
      }
    }
  }

  private void ownQuorumEntry() {
    if (!has(BROKER_ID, RAFT_PORT, METADATA_QUORUM) || number(RAFT_PORT) == 0) {
      return;
    }
    @SuppressWarnings("unchecked")
    final List<QuorumMember> members = (List<QuorumMember>) values.get(METADATA_QUORUM.name());
    for (QuorumMember member : members) {
      if (member.brokerId() == number(BROKER_ID) && member.raftPort() != number(RAFT_PORT)) {
        fail(METADATA_QUORUM, "lists this broker (" + member + ") with a port other than "
            + RAFT_PORT.name() + " (" + number(RAFT_PORT) + ")");
      }
    }
  }

  private void atMost(ConfigKey<?> small, ConfigKey<?> large, long slack) {
    if (has(small, large) && number(small) + slack > number(large)) {
      fail(small, "must be at most " + large.name() + " (" + number(large) + ")");
    }
  }

  private void atLeast(ConfigKey<?> large, ConfigKey<?> small, long slack) {
    if (has(small, large) && number(large) < number(small) + slack) {
      final String extra = slack == 0 ? "" : " + " + ConfigTypes.humanBytes(slack);
      fail(large, "must be at least " + small.name() + extra + " (" + (number(small) + slack)
          + ")");
    }
  }

  private boolean has(ConfigKey<?>... keys) {
    for (ConfigKey<?> key : keys) {
      if (!values.containsKey(key.name())) {
        return false;
      }
    }
    return true;
  }

  private long number(ConfigKey<?> key) {
    return ((Number) values.get(key.name())).longValue();
  }

  private long millis(ConfigKey<Duration> key) {
    return ((Duration) values.get(key.name())).toMillis();
  }

  private <T> void fail(ConfigKey<T> key, String problem) {
    @SuppressWarnings("unchecked")
    final T value = (T) values.get(key.name());
    errors.add(key.name() + ": '" + key.type().format(value) + "' " + problem);
  }
}
