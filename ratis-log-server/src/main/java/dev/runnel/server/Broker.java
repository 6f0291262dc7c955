package dev.runnel.server;

import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.server.config.ConfigException;
import dev.runnel.server.config.QuorumMember;
import dev.runnel.server.config.GroupReplicaCapacity;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.grpc.AdminServiceGrpcImpl;
import dev.runnel.server.grpc.CallExecutors;
import dev.runnel.server.grpc.Forwarding;
import dev.runnel.server.grpc.GrpcPeers;
import dev.runnel.server.grpc.InflightBudget;
import dev.runnel.server.grpc.LogServiceGrpcImpl;
import dev.runnel.server.grpc.Subscriptions;
import dev.runnel.server.metadata.ClusterState;
import dev.runnel.server.metadata.Controller;
import dev.runnel.server.metadata.MetadataClient;
import dev.runnel.server.metadata.MetadataStateMachine;
import dev.runnel.server.partition.CheckpointWriter;
import dev.runnel.server.partition.EntryPayloads;
import dev.runnel.server.partition.LocalReplicas;
import dev.runnel.server.partition.Quarantine;
import dev.runnel.server.partition.ReplicaCheck;
import dev.runnel.server.partition.ReplicaDamage;
import dev.runnel.server.partition.ReplicaSuspension;
import dev.runnel.server.partition.StalledFollowers;
import dev.runnel.server.partition.StartupScan;
import dev.runnel.server.partition.PartitionStateMachine;
import dev.runnel.server.raft.FollowerWatch;
import dev.runnel.server.raft.GroupAdmin;
import dev.runnel.server.raft.GroupIds;
import dev.runnel.server.raft.RatisMeters;
import dev.runnel.server.raft.RaftHost;
import dev.runnel.server.raft.RaftSettings;
import dev.runnel.server.raft.SnapshotPolicy;
import dev.runnel.server.service.AdminHandler;
import dev.runnel.server.service.ClusterInfoHandler;
import dev.runnel.server.service.FetchHandler;
import dev.runnel.server.service.OffsetsHandler;
import dev.runnel.server.service.ProduceHandler;
import dev.runnel.server.service.RetentionEnforcer;
import dev.runnel.server.service.ServiceLimits;
import dev.runnel.server.service.TopicDirectory;
import dev.runnel.server.storage.DirectIoProbe;
import dev.runnel.server.storage.DiskSpaceGuard;
import dev.runnel.server.storage.StorageResources;
import dev.runnel.server.storage.StoreOpener;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Runnel broker: a Ratis server hosting the metadata group and the partition groups, the client
 * gRPC endpoint and the HTTP endpoint (health, metrics). This class only wires components together
 * and orders their start and stop.
 */
public final class Broker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  private final ServerConfig config;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicInteger metadataLeader = new AtomicInteger(-1);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "runnel-broker-tasks");
    t.setDaemon(true);
    return t;
  });
  private RaftHost raft;
  private Server grpc;
  private HttpEndpoint http;
  private BrokerLifecycle lifecycle;
  private Controller controller;
  private ClusterState state;
  private LocalReplicas replicas;
  private ReplicaDamage damage;
  private ReplicaSuspension suspension;
  private volatile boolean closed;
  private volatile boolean cleanStop = true;

  private Broker(ServerConfig config) {
    this.config = config;
  }

  /** Starts a broker; returns once its ports are bound and it has begun joining the cluster. */
  public static Broker start(ServerConfig config) throws IOException {
    Broker b = new Broker(config);
    try {
      b.startAll();
    } catch (IOException | RuntimeException e) {
      b.close();
      throw e;
    }
    return b;
  }

  private void startAll() throws IOException {
    bindProcessMetrics();
    // Before anything creates Ratis metrics (the Raft server, the metadata client): see RatisMeters.
    String raftPeer = GroupIds.peerId(config.brokerId()).toString();
    if (config.ratisMetrics()) {
      RatisMeters.bind(raftPeer, meters);
    } else {
      RatisMeters.silence(raftPeer);
    }
    closeables.add(() -> RatisMeters.unbind(raftPeer));
    Path raftDir = config.dataDir().toAbsolutePath().resolve("raft");
    Files.createDirectories(raftDir);
    StoreOpener opener = openStorage();
    state = new ClusterState(System::currentTimeMillis);
    int self = config.brokerId();
    RaftProperties props = RaftSettings.build(config, raftDir.toFile());
    RaftGroup metadataGroup = metadataGroup(config.metadataQuorum());
    boolean member = config.metadataQuorum().stream().anyMatch(q -> q.brokerId() == self);

    MetadataClient metadataClient = new MetadataClient(metadataGroup, props);
    GroupAdmin groupAdmin = new GroupAdmin(props);
    SecureRandom random = new SecureRandom();
    controller = new Controller(self, state, metadataClient, groupAdmin,
        config.sessionTimeout().toMillis(), config.controllerReconcileInterval().toMillis(),
        () -> UUID.randomUUID().toString(), System::currentTimeMillis);
    damage = new ReplicaDamage(() -> raft, new Quarantine(RaftSettings.quarantineDir(raftDir.toFile()),
        System::currentTimeMillis), scheduler, System::currentTimeMillis, meters);
    checkReplicas(raftDir, opener);
    DiskWatch diskWatch = diskWatch(self, raftDir, opener);
    replicas = new LocalReplicas(() -> raft, this::leaderHint, leader -> {
      if (leader == self && lifecycle != null) {
        scheduler.execute(lifecycle::reportLeaders);
      }
    }, damage, diskWatch::storageFailed);
    MetadataStateMachine.Events metadataEvents = new MetadataStateMachine.Events() {
      @Override
      public void onApplied(long index) {}

      @Override
      public void onLeaderChanged(int leaderBrokerId) {
        metadataLeader.set(leaderBrokerId);
        controller.onMetadataLeader(leaderBrokerId);
      }
    };
    MetadataStateMachine metadataSm = new MetadataStateMachine(state, metadataEvents,
        config.sessionTimeout().toMillis(), config.raftSnapshotThresholdEntries());
    SnapshotPolicy snapshots = RaftSettings.snapshotPolicy(config);
    boolean recover = Files.isDirectory(raftDir.resolve(GroupIds.METADATA.getUuid().toString()));
    CheckpointWriter checkpoints = new CheckpointWriter(CheckpointWriter.DEFAULT_THREADS,
        Timer.builder("runnel.checkpoint.duration")
            .description("Time to write one partition group's checkpoint (a Raft snapshot)")
            .register(meters));
    closeables.add(0, checkpoints);
    EntryPayloads payloads = new EntryPayloads(config.raftLogPayloadSeparate(),
        RaftSettings.entryDataFileBytes(config), (int) RaftSettings.maxEntrySize(config).getSize(),
        EntryPayloads.DEFAULT_SYNC_THREADS);
    closeables.add(0, payloads);
    raft = new RaftHost(self, props,
        gid -> GroupIds.isMetadata(gid) ? metadataSm : new PartitionStateMachine(opener, replicas,
            state::partitionsOfGroup, checkpoints, snapshots, random, payloads),
        member ? metadataGroup : null, recover);
    raft.start();
    closeables.add(0, raft);
    closeables.add(0, metadataClient);
    closeables.add(0, controller);

    startGrpc(self, metadataClient, random);
    http = new HttpEndpoint(config.listenHost(), config.httpPort(), meters,
        this::isReady);
    closeables.add(0, http);

    BrokerRecord record = BrokerRecord.newBuilder().setId(self).setHost(config.advertisedHost())
        .setClientPort(clientPort()).setRaftPort(config.raftPort()).setRack(config.rack())
        .setIncarnation(random.nextLong()).setControllerEligible(member)
        .setMaxGroupReplicas(groupReplicaCapacity()).build();
    lifecycle = new BrokerLifecycle(record, state, metadataClient, replicas, damage,
        () -> suspension == null ? Set.of() : suspension.stoppedGroupIds(), member, scheduler);
    lifecycle.start(config.heartbeatInterval().toMillis());
    long diskCheckMs = config.storageFreeCheckInterval().toMillis();
    scheduler.scheduleWithFixedDelay(diskWatch, 0, diskCheckMs, TimeUnit.MILLISECONDS);
    long retentionMs = config.retentionCheckInterval().toMillis();
    scheduler.scheduleWithFixedDelay(new RetentionEnforcer(replicas, state, config,
        System::currentTimeMillis), retentionMs, retentionMs, TimeUnit.MILLISECONDS);
    watchFollowers();
    LOG.info("Broker {} started: client {}, raft {}, http {}", self, clientAddress(),
        config.raftPort(), http.port());
  }

  /** Starts the watch for followers that stopped catching up (raft.follower.stall.timeout.ms). */
  private void watchFollowers() {
    long stallMs = config.raftFollowerStallTimeout().toMillis();
    if (stallMs == 0) {
      return;
    }
    // Step-downs wait for the group; on their own thread so heartbeats never queue behind them.
    ExecutorService stepDowns = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "runnel-step-down");
      t.setDaemon(true);
      return t;
    });
    closeables.add(0, stepDowns::shutdownNow);
    long sessionMs = config.sessionTimeout().toMillis();
    FollowerWatch watch = new FollowerWatch(() -> raft, new StalledFollowers(stallMs, 10 * stallMs),
        id -> state.isAlive(id, sessionMs), System::currentTimeMillis, stepDowns, meters);
    long everyMs = Math.max(100, Math.min(5_000, stallMs / 4));
    scheduler.scheduleWithFixedDelay(watch, everyMs, everyMs, TimeUnit.MILLISECONDS);
  }

  /** What this broker tells the controller it can host; logged, as topics are refused beyond it. */
  private int groupReplicaCapacity() {
    long direct = GroupReplicaCapacity.jvmDirectMemoryLimit();
    long heap = Runtime.getRuntime().maxMemory();
    long segment = RaftSettings.heapPerGroupReplica(config);
    int n = GroupReplicaCapacity.of(config, direct, heap, segment);
    if (config.raftMaxGroupReplicas() > 0) {
      LOG.info("Hosting at most {} partition-group replicas (raft.max.group.replicas)", n);
    } else {
      LOG.info("Hosting at most {} partition-group replicas, the lower of what direct memory and"
          + " heap allow: {} MiB of direct memory less 64 MiB for gRPC, at {} bytes per replica"
          + " (raft.log.write.buffer.bytes); {} MiB of heap less max.inflight.produce.bytes and"
          + " 128 MiB, at {} bytes per replica (an open Raft log segment's entries)", n, direct >> 20,
          config.raftWriteBufferBytes(), heap >> 20, segment);
    }
    return n;
  }

  private void startGrpc(int self, MetadataClient metadataClient, SecureRandom random) throws IOException {
    TopicDirectory topics = new TopicDirectory(state, replicas);
    ServiceLimits limits = new ServiceLimits(config);
    GrpcPeers peers = new GrpcPeers(self, state::broker, config.maxRequestBytes() + (1 << 20),
        config.requestTimeoutMs());
    closeables.add(peers);
    ExecutorService proposer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "runnel-group-commit");
      t.setDaemon(true);
      return t;
    });
    closeables.add(proposer::shutdownNow);
    ProduceHandler produce = new ProduceHandler(self, topics, peers, limits, scheduler, proposer,
        meters);
    FetchHandler fetch = new FetchHandler(self, topics, peers, limits, scheduler, meters, damage);
    OffsetsHandler offsets = new OffsetsHandler(self, topics, peers);
    ClusterInfoHandler info = new ClusterInfoHandler(state, topics, metadataClient,
        config.sessionTimeout().toMillis(), metadataLeader::get);
    AdminHandler admin = new AdminHandler(config, state, metadataClient, topics, offsets, scheduler,
        random, controller::poke);
    Subscriptions subs = new Subscriptions(fetch, topics, Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "runnel-subscribe");
      t.setDaemon(true);
      return t;
    }), config.maxSubscriptions(), config.fetchMaxBytes());
    HealthStatusManager health = new HealthStatusManager();
    ExecutorService requests = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "runnel-request");
      t.setDaemon(true);
      return t;
    });
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.listenHost(), config.clientPort()))
        .maxInboundMessageSize(config.maxRequestBytes())
        .directExecutor()
        .callExecutor(new CallExecutors(Set.of(LogServiceGrpc.getProduceMethod()), requests))
        .addService(ServerInterceptors.intercept(
            new LogServiceGrpcImpl(produce, fetch, offsets, info, subs, inflightBudget()).definition(),
            new Forwarding()))
        .addService(new AdminServiceGrpcImpl(admin, info))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build().start();
    closeables.add(0, () -> {
      health.enterTerminalState();
      grpc.shutdown();
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
      requests.shutdown();
    });
  }

  /**
   * Checks the partition replicas on disk before Ratis loads them; damaged ones are quarantined
   * and reported once the broker has joined. Reading all data is skipped after a clean stop unless
   * storage.verify.on.start says always.
   */
  private InflightBudget inflightBudget() {
    InflightBudget budget = new InflightBudget(config.maxInflightRequests(),
        config.maxInflightProduceBytes());
    Gauge.builder("runnel.inflight.requests", budget, InflightBudget::requests)
        .description("Client requests this broker is working on (max.inflight.requests)")
        .register(meters);
    Gauge.builder("runnel.inflight.produce.bytes", budget, InflightBudget::produceBytes)
        .description("Bytes of produce requests this broker holds (max.inflight.produce.bytes)")
        .baseUnit("bytes").register(meters);
    return budget;
  }

  private void checkReplicas(Path raftDir, StoreOpener opener) throws IOException {
    boolean previousStopWasClean = Files.deleteIfExists(cleanStopMarker());
    String verify = config.storageVerifyOnStart();
    boolean readAll = verify.equals("always") || (verify.equals("after-crash") && !previousStopWasClean);
    long started = System.nanoTime();
    int damaged = StartupScan.run(raftDir, new ReplicaCheck(opener, RaftSettings.maxEntrySize(config)),
        readAll, damage, Math.min(4, Runtime.getRuntime().availableProcessors()));
    LOG.info("Checked partition replicas{} in {} ms: {} damaged", readAll ? " (all data read)" : "",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), damaged);
  }

  /** Present while the broker is stopped after a clean shutdown (like Kafka's .kafka_cleanshutdown). */
  private Path cleanStopMarker() {
    return config.dataDir().toAbsolutePath().resolve(".clean-shutdown");
  }

  private void bindProcessMetrics() {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
    io.micrometer.core.instrument.Gauge.builder("runnel.partition.replicas",
            () -> replicas == null ? 0 : replicas.groupIds().size())
        .description("Partition replicas open on this broker").register(meters);
    io.micrometer.core.instrument.Gauge.builder("runnel.cluster.damaged.replicas",
            () -> state == null ? 0 : state.damagedReplicaCount())
        .description("Replicas in the cluster out of service because their files were damaged or lost,"
            + " until rebuilt").register(meters);
  }

  /** Stops the partition replicas while the data directory is out of space (see DiskWatch). */
  private DiskWatch diskWatch(int self, Path raftDir, StoreOpener opener) throws IOException {
    Path dir = config.dataDir().toAbsolutePath();
    FileStore fs = Files.getFileStore(dir);
    long min = config.storageMinFreeBytes();
    long checkMs = config.storageFreeCheckInterval().toMillis();
    LongSupplier monoMs = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    ExecutorService closer = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "runnel-replica-closer");
      t.setDaemon(true);
      return t;
    });
    closeables.add(closer::shutdownNow);
    DiskSpaceGuard guard = new DiskSpaceGuard(min, Math.max(2 * min, min + (64L << 20)), 10 * checkMs,
        () -> {
          try {
            return fs.getUsableSpace();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, monoMs);
    suspension = new ReplicaSuspension(() -> raft, raftDir,
        new ReplicaCheck(opener, RaftSettings.maxEntrySize(config)), damage, monoMs, closer,
        gid -> replicas.closeIfAbandoned(gid));  // replicas is created after this
    Gauge.builder("runnel.storage.free.bytes", guard, DiskSpaceGuard::lastFreeBytes)
        .description("Bytes free on the data directory's file system at the last check").register(meters);
    Gauge.builder("runnel.storage.replicas.stopped", suspension, ReplicaSuspension::stoppedCount)
        .description("Partition replicas this broker stopped because its data directory is out of space")
        .register(meters);
    return new DiskWatch(self, dir.toString(), guard, suspension,
        problem -> replicas.setStorageProblem(problem), scheduler);
  }

  /** RocksDB resources shared by every partition store of this broker, closed after Ratis. */
  private StoreOpener openStorage() throws IOException {
    StorageResources.Settings d = StorageResources.Settings.DEFAULTS;
    boolean direct = directWrites();
    StorageResources storage = StorageResources.create(new StorageResources.Settings(
        config.blockCacheBytes(), config.writeBufferTotalBytes(), d.writeBufferBytesPerStore(),
        config.storageBackgroundJobs(), d.maxOpenFilesPerStore(), d.maxProducersPerPartition(),
        direct),
        config.dataDir().toAbsolutePath().resolve("native"));
    closeables.add(storage);
    Gauge.builder("runnel.storage.direct.writes", () -> direct ? 1 : 0)
        .description("1 if RocksDB's flushes and compactions write with O_DIRECT (storage.direct.io)")
        .register(meters);
    return dir -> dev.runnel.server.storage.RocksDbPartitionStore.open(dir, storage);
  }

  /** storage.direct.io resolved against what the data directory's file system takes. */
  private boolean directWrites() throws IOException {
    String mode = config.storageDirectIo();
    if (mode.equals("off")) {
      return false;
    }
    Path dir = config.dataDir().toAbsolutePath();
    Optional<String> unsupported = DirectIoProbe.unsupportedReason(dir);
    if (unsupported.isEmpty()) {
      return true;
    }
    if (mode.equals("on")) {
      throw new ConfigException(List.of("storage.direct.io is on, but the file system of " + dir
          + " does not take O_DIRECT writes (" + unsupported.get() + "); set it to auto or off"));
    }
    LOG.warn("The file system of {} does not take O_DIRECT writes ({}): RocksDB flushes go through "
        + "the page cache (storage.direct.io=auto)", dir, unsupported.get());
    return false;
  }

  /** Where a broker's clients connect, for NOT_LEADER answers; just the id if it is unknown. */
  private dev.runnel.proto.v1.LeaderHint leaderHint(int brokerId) {
    dev.runnel.proto.v1.LeaderHint.Builder h = dev.runnel.proto.v1.LeaderHint.newBuilder().setBrokerId(brokerId);
    state.broker(brokerId).ifPresent(b -> h.setAddress(b.getHost() + ":" + b.getClientPort()));
    return h.build();
  }

  private static RaftGroup metadataGroup(List<QuorumMember> quorum) {
    List<RaftPeer> peers = quorum.stream().map(q -> RaftPeer.newBuilder()
        .setId(GroupIds.peerId(q.brokerId())).setAddress(q.host() + ":" + q.raftPort()).build()).toList();
    return RaftGroup.valueOf(GroupIds.METADATA, peers);
  }

  public int brokerId() {
    return config.brokerId();
  }

  public int clientPort() {
    return grpc.getPort();
  }

  /** host:port of the client gRPC endpoint. */
  public String clientAddress() {
    return config.advertisedHost() + ":" + clientPort();
  }

  public int httpPort() {
    return http.port();
  }

  /** Registered with the metadata group and its metadata caught up: what /health reports. */
  public boolean isReady() {
    return lifecycle != null && lifecycle.isReady();
  }

  /** Whether this broker is the controller (the metadata group's leader). */
  public boolean isController() {
    return controller.isActive();
  }

  public ClusterState clusterState() {
    return state;
  }

  /** Raft group ids of the partition replicas open on this broker. */
  public List<String> localPartitionGroups() {
    return replicas.groupIds();
  }

  /** Partition replicas stopped because the data directory ran out of space, not yet restarted. */
  public int stoppedReplicas() {
    return suspension == null ? 0 : suspension.stoppedCount();
  }

  /** Stops and restarts replicas (the full-disk path); for tests of that path. */
  ReplicaSuspension suspension() {
    return suspension;
  }

  public LocalReplicas replicas() {
    return replicas;
  }

  public Path dataDir() {
    return config.dataDir().toAbsolutePath();
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** Blocks until the broker has been closed. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        cleanStop = false;
        LOG.warn("Error while stopping broker {}", config.brokerId(), e);
      }
    }
    if (cleanStop && raft != null) {
      try {
        Files.createFile(cleanStopMarker());
      } catch (IOException e) {
        LOG.warn("Cannot record the clean stop of broker {}", config.brokerId(), e);
      }
    }
    meters.close();
    terminated.countDown();
    LOG.info("Broker {} stopped", config.brokerId());
  }

}
