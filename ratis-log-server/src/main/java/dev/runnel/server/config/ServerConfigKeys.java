package dev.runnel.server.config;

import static dev.runnel.server.config.ConfigTypes.BOOLEAN;
import static dev.runnel.server.config.ConfigTypes.BYTES_INT;
import static dev.runnel.server.config.ConfigTypes.BYTES_LONG;
import static dev.runnel.server.config.ConfigTypes.INT;
import static dev.runnel.server.config.ConfigTypes.LONG;
import static dev.runnel.server.config.ConfigTypes.MILLIS;
import static dev.runnel.server.config.ConfigTypes.PATH;
import static dev.runnel.server.config.ConfigTypes.QUORUM;
import static dev.runnel.server.config.ConfigTypes.STRING;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every broker configuration key, in documentation order. Each key is declared once with its type,
 * default, validator and doc; {@link ServerConfig} reads them and checks relations between keys.
 */
public final class ServerConfigKeys {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;
  private static final long GIB = 1024L * MIB;
  private static final List<ConfigKey<?>> KEYS = new ArrayList<>();

  /** Named limit: the largest replication factor a topic may ask for. */
  public static final int MAX_REPLICATION_FACTOR = 16;

  /** Room for the command envelope around the largest record batch in one Raft log entry. */
  public static final int RAFT_ENTRY_OVERHEAD_BYTES = 64 * KIB;

  /** The largest max.batch.bytes a broker may be configured with. */
  public static final int MAX_BATCH_BYTES_LIMIT = 64 * MIB;

  // Identity and addresses.

  public static final ConfigKey<Integer> BROKER_ID = define("broker.id", INT, 0,
      Validators.between(0, Integer.MAX_VALUE),
      "Stable id of this broker; never reuse one for a different disk. On Kubernetes, the pod "
          + "ordinal.");
  public static final ConfigKey<String> BROKER_RACK = define("broker.rack", STRING, "",
      Validators.token(255),
      "Failure domain (rack, zone) of this broker, for replica placement. Empty = unknown.");
  public static final ConfigKey<Path> DATA_DIR = define("data.dir", PATH, Path.of("./data"),
      Validators.any("a directory path"),
      "Directory for the Raft logs, snapshots and RocksDB data of this broker.");
  public static final ConfigKey<String> LISTEN_HOST = define("listen.host", STRING, "0.0.0.0",
      Validators.bindHost(),
      "Address every port binds to. 0.0.0.0 listens on all interfaces.");
  public static final ConfigKey<String> ADVERTISED_HOST = define("advertised.host", STRING,
      "localhost", Validators.connectableHost(),
      "Host name other brokers and clients use to reach this broker. On Kubernetes, the pod's "
          + "DNS name in the headless service.");
  public static final ConfigKey<Integer> CLIENT_PORT = define("client.port", INT, 9292,
      Validators.port(true), "Port of the client gRPC endpoint (produce, fetch, admin).");
  public static final ConfigKey<Integer> RAFT_PORT = define("raft.port", INT, 9293,
      Validators.port(true), "Port of the broker-to-broker Raft endpoint.");
  public static final ConfigKey<Integer> HTTP_PORT = define("http.port", INT, 9294,
      Validators.port(true), "Port of the HTTP endpoint (/metrics for Prometheus, health).");
  public static final ConfigKey<List<QuorumMember>> METADATA_QUORUM = define("metadata.quorum",
      QUORUM, List.of(new QuorumMember(0, "localhost", 9293)),
      Validators.any("1.." + QuorumMember.MAX_MEMBERS
          + " entries id@host:raftPort with unique ids and addresses"),
      "Initial members of the metadata Raft group (the controller-eligible brokers), as "
          + "id@host:raftPort separated by commas. Use 1 or 3 members (5 for large clusters); "
          + "every broker of a cluster must use the same list.");

  // Topics.

  public static final ConfigKey<Integer> NUM_PARTITIONS = define("num.partitions", INT, 1,
      Validators.between(1, 100_000),
      "Partitions of a topic created without a partition count. At most "
          + "max.partitions.per.topic.");
  public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR = define(
      "default.replication.factor", INT, 3, Validators.between(1, MAX_REPLICATION_FACTOR),
      "Replicas of a topic created without a replication factor; capped at the number of live "
          + "brokers when the topic is created.");
  public static final ConfigKey<Integer> MAX_PARTITIONS_PER_TOPIC = define(
      "max.partitions.per.topic", INT, 1024, Validators.between(1, 100_000),
      "Largest partition count a topic may have; bounds how much one request can allocate.");
  public static final ConfigKey<Integer> RAFT_GROUPS_PER_TOPIC = define("raft.groups.per.topic",
      INT, 3, Validators.between(1, 100_000),
      "Raft groups a new topic's partitions are spread over (partition p joins group p mod n; "
          + "at most one group per partition). The partitions of a group share its replicas, "
          + "leader, log and fsyncs: fewer groups mean fewer, larger writes and less heartbeat "
          + "work; more groups spread leadership over more brokers. Fixed when the topic is "
          + "created; partitions added later join its existing groups.");
  public static final ConfigKey<Integer> RAFT_MAX_GROUP_REPLICAS = define(
      "raft.max.group.replicas", INT, 0, Validators.between(0, 1_000_000),
      "Most partition-group replicas this broker hosts; a topic whose groups would take a broker "
          + "past it is refused (BROKER_CAPACITY_EXCEEDED) instead of created without leaders. "
          + "Each group replica holds a direct write buffer of raft.log.write.buffer.bytes, even "
          + "when idle, and, once it has taken writes, the heap of its open Raft log segment (see "
          + "raft.log.segment.bytes). 0 = derive it from the JVM's limits, the lower of "
          + "(direct-memory limit (-XX:MaxDirectMemorySize, else -Xmx) - 64 MiB) / "
          + "raft.log.write.buffer.bytes and (-Xmx - max.inflight.produce.bytes - 128 MiB) / that "
          + "heap per replica, at least 1; the 64 MiB are for gRPC's buffers, which count against "
          + "the same limit.");
  public static final ConfigKey<Long> RETENTION_MS = define("retention.ms", LONG, 604_800_000L,
      Validators.unlimitedOrAtLeastZero("ms"),
      "Default time records are kept (7 days); topics may override it.");
  public static final ConfigKey<Long> RETENTION_BYTES = define("retention.bytes", BYTES_LONG,
      -1L, Validators.unlimitedOrAtLeastZero("bytes"),
      "Default size limit per partition, oldest batches removed first; topics may override it.");

  // Request limits.

  public static final ConfigKey<Integer> MAX_RECORD_BYTES = define("max.record.bytes",
      BYTES_INT, MIB, Validators.intBytesBetween(1, 64 * MIB),
      "Largest record (key, value and headers). At most max.batch.bytes.");
  public static final ConfigKey<Integer> MAX_BATCH_BYTES = define("max.batch.bytes", BYTES_INT,
      2 * MIB, Validators.intBytesBetween(KIB, MAX_BATCH_BYTES_LIMIT),
      "Largest record batch a producer may send; one batch is one Raft log entry. Every Raft "
          + "group replica holds a write buffer and a log segment of at least this size, so it "
          + "sets a broker's memory per group.");
  public static final ConfigKey<Integer> MAX_BATCH_RECORDS = define("max.batch.records", INT,
      100_000, Validators.between(1, 1_000_000), "Most records in one batch.");
  public static final ConfigKey<Integer> MAX_REQUEST_BYTES = define("max.request.bytes",
      BYTES_INT, 16 * MIB, Validators.intBytesBetween(KIB, 256 * MIB),
      "Largest gRPC request message the broker accepts. At least max.batch.bytes.");
  public static final ConfigKey<Integer> FETCH_MAX_BYTES = define("fetch.max.bytes", BYTES_INT,
      8 * MIB, Validators.intBytesBetween(KIB, 256 * MIB),
      "Most bytes one fetch response returns, whatever the client asks for.");
  public static final ConfigKey<Duration> FETCH_MAX_WAIT = define("fetch.max.wait.ms", MILLIS,
      Duration.ofSeconds(30), Validators.millisBetween(0, 300_000),
      "Cap on how long a fetch long-poll waits for data.");
  public static final ConfigKey<Duration> REQUEST_TIMEOUT = define("request.timeout.ms", MILLIS,
      Duration.ofSeconds(30), Validators.millisBetween(1, 600_000),
      "How long the broker works on a request (including forwarding and Raft commit) before "
          + "answering with a timeout.");
  public static final ConfigKey<Integer> MAX_INFLIGHT_REQUESTS = define(
      "max.inflight.requests", INT, 1024, Validators.between(1, 65_536),
      "Most client requests this broker works on at once.");
  public static final ConfigKey<Long> MAX_INFLIGHT_PRODUCE_BYTES = define(
      "max.inflight.produce.bytes", BYTES_LONG, 64L * MIB, Validators.bytesBetween(KIB, 64 * GIB),
      "Most bytes of produce requests this broker holds at once (read and not yet answered: "
          + "being replicated, waiting for their commit, or forwarded to a leader). Beyond it a "
          + "produce request is refused with BROKER_BUSY, which producers retry after a back-off, "
          + "so a slow or stalled partition cannot fill the heap. At least max.request.bytes.");
  public static final ConfigKey<Integer> MAX_SUBSCRIPTIONS = define("max.subscriptions", INT,
      1000, Validators.between(1, 100_000), "Open Subscribe streams this broker serves at once.");

  // Raft.

  public static final ConfigKey<Duration> RAFT_RPC_TIMEOUT_MIN = define(
      "raft.rpc.timeout.min.ms", MILLIS, Duration.ofMillis(1000),
      Validators.millisBetween(50, 60_000),
      "Lower bound of the Raft election timeout; leaders heartbeat about every half of it. "
          + "Smaller fails over faster but costs CPU per Raft group and risks elections during "
          + "GC pauses.");
  public static final ConfigKey<Duration> RAFT_RPC_TIMEOUT_MAX = define(
      "raft.rpc.timeout.max.ms", MILLIS, Duration.ofMillis(2000),
      Validators.millisBetween(100, 120_000),
      "Upper bound of the Raft election timeout. Greater than raft.rpc.timeout.min.ms.");
  public static final ConfigKey<Duration> RAFT_FOLLOWER_STALL_TIMEOUT = define(
      "raft.follower.stall.timeout.ms", MILLIS, Duration.ofSeconds(30),
      Validators.offOrMillisBetween(1000, 3_600_000),
      "A Raft group leader steps down when one of its followers has answered it but not caught up "
          + "for this long while its broker is alive: a new term starts with fresh log appenders "
          + "(works around a Ratis 3.3 appender that stops resending a follower's missing entries). "
          + "A follower that is down or is being sent a snapshot never counts. One step-down per "
          + "group per 10 times this on each broker. 0 turns the watch off.");
  public static final ConfigKey<Long> RAFT_SEGMENT_BYTES = define("raft.log.segment.bytes",
      BYTES_LONG, 4L * KIB, Validators.bytesBetween(4 * KIB, GIB),
      "Size of one Raft log segment file. Ratis keeps every entry of a group's open segment on the "
          + "heap until the segment fills, and purges its log (and a group its entry payloads) only "
          + "a whole closed segment at a time behind each snapshot. With raft.log.payload.separate "
          + "(the default) an entry in the log is a header of about 27 bytes (about 10 times that on "
          + "the heap), so this default holds about 150 entries: 40 KiB of heap, and at most 150 "
          + "entries' payloads kept beyond the snapshot bound. With it false, entries hold their "
          + "batches and the segment is raised to at least twice the largest entry (max.batch.bytes "
          + "+ 64 KiB), which is then the heap a replica holds.");
  public static final ConfigKey<Long> RAFT_WRITE_BUFFER_BYTES = define(
      "raft.log.write.buffer.bytes", BYTES_LONG, 2L * MIB + RAFT_ENTRY_OVERHEAD_BYTES,
      Validators.bytesBetween(64 * KIB, 256L * MIB),
      "Raft log write buffer, direct memory allocated per Raft group replica, busy or idle. "
          + "At least max.batch.bytes + 64 KiB: Ratis needs the largest entry to fit.");

  public static final ConfigKey<Boolean> RAFT_LOG_PAYLOAD_SEPARATE = define(
      "raft.log.payload.separate", BOOLEAN, true, Validators.any("true or false"),
      "Whether a partition group's Raft entries carry their record batches as Ratis state-machine "
          + "data, kept in the replica's own entry-data files (fsynced with the log, before the entry "
          + "counts), so that the Raft log and the heap cache Ratis keeps of its open segment hold "
          + "only small entry headers. false writes the batches into the Raft log itself, as "
          + "releases before it did. Both kinds of entry are read either way, so this can be changed "
          + "between restarts. See docs/decisions.md, \"Entry payloads outside the Raft log\".");
  public static final ConfigKey<Integer> RAFT_SYNC_MAX_ENTRIES = define(
      "raft.log.sync.max.entries", INT, 128, Validators.between(1, 4096),
      "Most Raft entries one fsync of a group's log may cover (group commit; every entry is "
          + "fsynced before it counts, whatever this is). 1 fsyncs each entry on its own, which "
          + "with many producers or a slow fsync costs throughput. With raft.log.payload.separate="
          + "false it also writes fewer bytes (2.1x instead of 2.4x the payload under W1: Ratis "
          + "zero-fills past the data it has buffered, and an fsync covering several entries writes "
          + "those zeros); with separate payloads the log holds headers only and W1 writes 2.0x. "
          + "See docs/performance.md.");

  public static final ConfigKey<Long> RAFT_SNAPSHOT_ENTRIES = define(
      "raft.snapshot.threshold.entries", LONG, 4096L, Validators.between(16L, 100_000_000L),
      "Raft entries applied between two automatic snapshots of a Raft group. A snapshot is a "
          + "RocksDB checkpoint (hard links); the Raft log is purged behind it, so this bounds "
          + "how much log a group keeps (see also raft.snapshot.threshold.bytes).");
  public static final ConfigKey<Long> RAFT_SNAPSHOT_BYTES = define(
      "raft.snapshot.threshold.bytes", BYTES_LONG, 128L * MIB, Validators.bytesBetween(MIB, 1L << 40),
      "Bytes of Raft entries applied between two automatic snapshots of a partition group, "
          + "whichever of this and raft.snapshot.threshold.entries comes first. Bounds the Raft log "
          + "a group replica keeps on disk (about this plus one segment) whatever the entry size.");
  public static final ConfigKey<Integer> RAFT_SNAPSHOT_JITTER_PERCENT = define(
      "raft.snapshot.jitter.percent", INT, 50, Validators.between(0, 90),
      "Each group replica lowers both snapshot thresholds by a random share of up to this many "
          + "percent, drawn anew for every snapshot, so that the groups of a topic (which take "
          + "equal shares of its load) do not all checkpoint in the same second. The thresholds "
          + "stay upper bounds; 0 turns the jitter off.");

  // Storage.

  public static final ConfigKey<Long> BLOCK_CACHE_BYTES = define("storage.block.cache.bytes",
      BYTES_LONG, 64L * MIB, Validators.bytesBetween(MIB, 1024 * GIB),
      "RocksDB block cache shared by all partitions of this broker.");
  public static final ConfigKey<Long> WRITE_BUFFER_TOTAL_BYTES = define(
      "storage.write.buffer.total.bytes", BYTES_LONG, 128L * MIB,
      Validators.bytesBetween(MIB, 1024 * GIB),
      "Memory all RocksDB memtables of this broker share; writers stall when it is full.");
  public static final ConfigKey<Integer> STORAGE_BACKGROUND_JOBS = define(
      "storage.background.jobs", INT, 2, Validators.between(1, 64),
      "RocksDB flush and compaction threads shared by all partitions of this broker.");

  public static final ConfigKey<String> STORAGE_DIRECT_IO = define(
      "storage.direct.io", STRING, "auto",
      Validators.oneOf("auto", "on", "off"),
      "Whether RocksDB's flushes and compactions write their files with O_DIRECT, past the page "
          + "cache. The Raft log already holds every batch, so the store's files are a second copy "
          + "written in the background; through the page cache that copy cost the brokers a quarter "
          + "of their CPU under full load (docs/performance.md). Reads still go through the page "
          + "cache. auto: on if the data directory's file system accepts O_DIRECT (checked at "
          + "start), otherwise off with a warning; on: refuse to start without it; off: page cache.");

  public static final ConfigKey<Long> STORAGE_MIN_FREE_BYTES = define(
      "storage.min.free.bytes", BYTES_LONG, 512L * MIB, Validators.bytesBetween(0, 1024 * GIB),
      "When the data directory's file system has less than this free, the broker stops its "
          + "partition replicas (files kept; the other replicas of each partition carry on) before a "
          + "write fails half-way on a full disk; it restarts them once twice this (at least this "
          + "plus 64 MiB) is free. The reserve also keeps room for the metadata log. 0 only reacts "
          + "to writes that fail for lack of space.");
  public static final ConfigKey<Duration> STORAGE_FREE_CHECK_INTERVAL = define(
      "storage.free.check.interval.ms", MILLIS, Duration.ofSeconds(1),
      Validators.millisBetween(10, 60_000),
      "How often the broker reads its data directory's free space (see storage.min.free.bytes). "
          + "After a write failed for lack of space, replicas restart no sooner than 10 intervals "
          + "later.");

  // Cluster membership and control.

  public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = define(
      "broker.heartbeat.interval.ms", MILLIS, Duration.ofMillis(1000),
      Validators.millisBetween(10, 60_000),
      "How often this broker tells the controller it is alive.");
  public static final ConfigKey<Duration> SESSION_TIMEOUT = define("broker.session.timeout.ms",
      MILLIS, Duration.ofMillis(6000), Validators.millisBetween(100, 600_000),
      "A broker without a heartbeat for this long is considered dead by the controller. "
          + "More than 2 x broker.heartbeat.interval.ms.");
  public static final ConfigKey<Duration> CONTROLLER_RECONCILE_INTERVAL = define(
      "controller.reconcile.interval.ms", MILLIS, Duration.ofMillis(500),
      Validators.millisBetween(10, 60_000),
      "How often the controller compares intended and actual placement and acts on "
          + "differences.");
  public static final ConfigKey<Duration> RETENTION_CHECK_INTERVAL = define(
      "retention.check.interval.ms", MILLIS, Duration.ofSeconds(30),
      Validators.millisBetween(10, 3_600_000),
      "How often each partition leader checks retention.ms and retention.bytes and, when data has "
          + "expired, replicates a trim to every replica.");

  public static final ConfigKey<String> STORAGE_VERIFY_ON_START = define(
      "storage.verify.on.start", STRING, "after-crash",
      Validators.oneOf("always", "after-crash", "never"),
      "When a broker starts it checks every partition replica's Raft log checksums and that the log "
          + "holds every entry the store has applied; a damaged replica is quarantined and rebuilt "
          + "from the others. This key decides when it also reads all stored data to check its "
          + "checksums (slow for large partitions): always, after-crash (when the previous run did "
          + "not stop cleanly) or never. Damage not found at start is found when the data is read.");

  public static final ConfigKey<String> METRICS_RATIS = define(
      "metrics.ratis", STRING, "on",
      Validators.oneOf("on", "off"),
      "Whether Ratis's own metrics (ratis_* on /metrics: Raft log flush and sync times, appender "
          + "and election metrics, per Raft group member on this broker) are published. They are "
          + "some 120 series per group member (more on a leader); with thousands of Raft groups "
          + "'off' keeps "
          + "the scrape small. Runnel's own metrics are always published.");

  private static final Map<String, ConfigKey<?>> BY_NAME = index();

  private ServerConfigKeys() {}

  /** Every key, in documentation order. */
  public static List<ConfigKey<?>> all() {
    return Collections.unmodifiableList(KEYS);
  }

  /** The key with this name, or {@code null}. */
  public static ConfigKey<?> find(String name) {
    return BY_NAME.get(name);
  }

  private static <T> ConfigKey<T> define(
      String name, ConfigType<T> type, T defaultValue, Validator<T> validator, String doc) {
    final ConfigKey<T> key = new ConfigKey<>(name, type, defaultValue, validator, doc);
    KEYS.add(key);
    return key;
  }

  private static Map<String, ConfigKey<?>> index() {
    final Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
    for (ConfigKey<?> key : KEYS) {
      if (byName.put(key.name(), key) != null) {
        throw new IllegalStateException("key defined twice: " + key.name());
      }
    }
    return Collections.unmodifiableMap(byName);
  }
}
