package dev.runnel.chaos.nemesis;

import dev.runnel.chaos.cluster.ChaosCluster;
import dev.runnel.chaos.history.FaultEvent;
import dev.runnel.chaos.history.History;
import dev.runnel.client.Admin;
import dev.runnel.client.PartitionInfo;
import dev.runnel.proto.internal.BrokerRecord;
import dev.runnel.server.raft.GroupAdmin;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import dev.runnel.proto.v1.AdminServiceGrpc;
import dev.runnel.proto.v1.DescribeTopicRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.conf.RaftProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults from a seeded random schedule, one at a time: wait, inject, hold, heal, wait for
 * every broker to be healthy again. Every decision comes from the seed, so a seed replays the same
 * schedule (targets chosen by role, such as "the leader", depend on who holds the role then).
 */
public final class Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);

  private final ChaosCluster cluster;
  private final Admin admin;
  private final String topic;
  private final Random random;
  private final History history;
  private final LongSupplier clock;
  private final List<Fault> faults;
  /**
   * Replica directories damaged so far, by group directory name, and the broker whose copy was hit.
   * A group's replicas on other brokers are left alone: the fault model is that a majority of each
   * group's replicas keep their disks, and a rebuild can take longer than the gap between faults
   * (seen: two of a group's three replicas damaged 12 s apart left the group without a quorum).
   */
  private final Map<String, Integer> damagedOn = new HashMap<>();

  public Nemesis(ChaosCluster cluster, Admin admin, String topic, long seed, History history, LongSupplier clock,
      List<Fault> faults) {
    this.cluster = cluster;
    this.admin = admin;
    this.topic = topic;
    this.random = new Random(seed);
    this.history = history;
    this.clock = clock;
    this.faults = faults.stream().filter(f -> !f.needsNetwork() || cluster.net().canPartition())
        .filter(f -> !f.needsShaping() || cluster.net().canShape()).toList();
    if (this.faults.isEmpty()) {
      throw new IllegalArgumentException("none of " + faults + " can be injected here (network faults need root)");
    }
  }

  /** Runs faults until {@code total} has passed (at most 1,000 of them). */
  public int run(Duration total, Duration gap, Duration hold) throws InterruptedException, IOException {
    long end = System.nanoTime() + total.toNanos();
    int injected = 0;
    while (injected < 1000 && System.nanoTime() + gap.toNanos() + hold.toNanos() < end) {
      Thread.sleep(gap.toMillis() / 2 + random.nextInt((int) Math.max(1, gap.toMillis())));
      Fault f = faults.get(random.nextInt(faults.size()));
      Set<Integer> hit = inject(f);
      injected++;
      Thread.sleep(hold.toMillis());
      heal();
      cluster.awaitHealthy(Duration.ofSeconds(120));
      LOG.info("Nemesis: {} on {} healed", f, hit);
    }
    return injected;
  }

  private Set<Integer> inject(Fault f) throws IOException, InterruptedException {
    long at = clock.getAsLong();
    int n = cluster.size();
    Set<Integer> hit = new TreeSet<>();
    String description;
    switch (f) {
      case KILL -> {
        int b = random.nextInt(n);
        cluster.broker(b).kill();
        hit.add(b);
        description = "kill -9 broker " + b;
      }
      case KILL_LEADER -> {
        int b = leaderOf(random.nextInt(partitions().size()));
        cluster.broker(b).kill();
        hit.add(b);
        description = "kill -9 partition leader, broker " + b;
      }
      case KILL_CONTROLLER -> {
        int b = controller();
        cluster.broker(b).kill();
        hit.add(b);
        description = "kill -9 controller, broker " + b;
      }
      case PAUSE -> {
        int b = random.nextInt(n);
        cluster.broker(b).pause();
        hit.add(b);
        description = "SIGSTOP broker " + b;
      }
      case ISOLATE -> {
        int b = random.nextInt(n);
        for (int o = 0; o < n; o++) {
          cluster.net().cut(b, o);
        }
        hit.add(b);
        description = "isolate broker " + b;
      }
      case SPLIT -> {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ids.add(i);
        }
        Collections.shuffle(ids, random);
        List<Integer> minority = ids.subList(0, (n - 1) / 2);
        for (int a : minority) {
          for (int b : ids.subList((n - 1) / 2, n)) {
            cluster.net().cut(a, b);
          }
        }
        hit.addAll(minority);
        description = "split " + minority + " | " + ids.subList((n - 1) / 2, n);
      }
      case BRIDGE -> {
        int bridge = random.nextInt(n);
        for (int a = 0; a < n; a++) {
          for (int b = a + 1; b < n; b++) {
            if (a != bridge && b != bridge) {
              cluster.net().cut(a, b);
            }
          }
        }
        description = "bridge: only broker " + bridge + " reaches every other broker";
      }
      case PACKET_LOSS -> {
        int b = random.nextInt(n);
        int percent = 20 + random.nextInt(31);
        cluster.net().lossy(b, percent);
        hit.add(b);
        description = "broker " + b + " loses " + percent + "% of packets from the others";
      }
      case SLOW_LINK -> {
        int b = random.nextInt(n);
        int rate = 50 + random.nextInt(200);
        cluster.net().throttle(b, rate);
        hit.add(b);
        description = "broker " + b + " receives at most " + rate + " KB/s from the others";
      }
      case LATENCY -> {
        int b = random.nextInt(n);
        int millis = 20 + random.nextInt(231);
        cluster.net().delay(b, millis);
        hit.add(b);
        description = "broker " + b + "'s Raft links get " + millis + " ms of latency each way";
      }
      case TRUNCATE_LOG, FLIP_BIT -> {
        int b = random.nextInt(n);
        cluster.broker(b).kill();
        hit.add(b);
        description = "kill -9 broker " + b + ", then " + damage(f, b);
      }
      case TRANSFER_STORM -> description = transferStorm();
      default -> throw new IllegalStateException(f.toString());
    }
    String kind = f.name().toLowerCase().replace('_', '-');
    LOG.info("Nemesis: {}", description);
    if (f.removesLeaders()) {
      // Measured on the side, so the schedule does not wait for it.
      String target = hit.toString();
      Thread t = new Thread(() -> history.add(new FaultEvent(at, kind, target, description,
          awaitLeadersAvoiding(hit, at))), "nemesis-leader-watch");
      t.setDaemon(true);
      t.start();
    } else {
      history.add(new FaultEvent(at, kind, hit.toString(), description, -1));
    }
    return hit;
  }

  private void heal() throws IOException {
    history.add(new FaultEvent(clock.getAsLong(), "heal", "all", "restart, resume and reconnect every broker", -1));
    cluster.healAll();
  }

  private List<PartitionInfo> partitions() {
    return admin.describeTopic(topic).partitions();
  }

  private int leaderOf(int partition) {
    int l = partitions().get(partition).leaderId();
    return l >= 0 ? l : random.nextInt(cluster.size());
  }

  private int controller() {
    int c = admin.describeCluster().controllerId();
    return c >= 0 ? c : random.nextInt(Math.min(3, cluster.size()));
  }

  /**
   * Time until every partition has a leader outside the faulted brokers, as a broker outside them
   * sees it (a faulted broker may still believe it leads), or -1 after 30 s.
   */
  private long awaitLeadersAvoiding(Set<Integer> hit, long since) {
    int observer = 0;
    while (hit.contains(observer)) {
      observer++;
    }
    ManagedChannel ch = ManagedChannelBuilder.forTarget(cluster.clientAddress(observer)).usePlaintext().build();
    try {
      AdminServiceGrpc.AdminServiceBlockingStub stub = AdminServiceGrpc.newBlockingStub(ch);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (stub.withDeadlineAfter(2, TimeUnit.SECONDS).describeTopic(DescribeTopicRequest.newBuilder()
              .setName(topic).build()).getPartitionsList().stream()
              .allMatch(p -> p.getLeaderId() >= 0 && !hit.contains(p.getLeaderId()))) {
            return clock.getAsLong() - since;
          }
        } catch (RuntimeException e) {
          // The cluster may not answer while it elects.
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      return -1;
    } finally {
      ch.shutdownNow();
    }
  }

  /** Damages one replica directory of a stopped broker; returns what was done. */
  private String damage(Fault f, int broker) throws IOException {
    Path raft = cluster.dataDir(broker).resolve("raft");
    List<Path> groups;
    try (Stream<Path> s = Files.list(raft)) {
      groups = s.filter(Files::isDirectory).filter(d -> Files.isDirectory(d.resolve("db")))
          .filter(d -> damagedOn.getOrDefault(d.getFileName().toString(), broker) == broker)
          .sorted().toList();
    }
    if (groups.isEmpty()) {
      return "no replica to damage (each group whose replica is here was damaged on another broker)";
    }
    Path group = groups.get(random.nextInt(groups.size()));
    damagedOn.put(group.getFileName().toString(), broker);
    if (f == Fault.TRUNCATE_LOG) {
      List<Path> segments;
      try (Stream<Path> s = Files.list(group.resolve("current"))) {
        segments = s.filter(p -> p.getFileName().toString().startsWith("log_inprogress_")).toList();
      }
      if (segments.isEmpty()) {
        return "no open log segment in " + group.getFileName();
      }
      Path seg = segments.get(0);
      try (RandomAccessFile file = new RandomAccessFile(seg.toFile(), "rw")) {
        long cut = Math.min(file.length(), 1 + random.nextInt(4096));
        file.setLength(file.length() - cut);
        return "cut " + cut + " bytes off " + group.getFileName() + "/" + seg.getFileName();
      }
    }
    // Any data file: RocksDB's (once the store has flushed) or a Raft log segment.
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(group.resolve("db"))) {
      s.filter(p -> p.toString().endsWith(".sst")).sorted().forEach(files::add);
    }
    try (Stream<Path> s = Files.list(group.resolve("current"))) {
      s.filter(p -> p.getFileName().toString().startsWith("log_")).sorted().forEach(files::add);
    }
    Path target = files.get(random.nextInt(files.size()));
    try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
      if (file.length() == 0) {
        return "nothing to flip in the empty " + group.getFileName() + "/" + target.getFileName();
      }
      long pos = (long) (random.nextDouble() * file.length());
      file.seek(pos);
      int b = file.read();
      file.seek(pos);
      file.write(b ^ (1 << random.nextInt(8)));
      return "flip a bit at byte " + pos + " of " + group.getFileName() + "/" + target.getFileName();
    }
  }

  private String transferStorm() {
    List<PartitionInfo> ps = partitions();
    List<BrokerRecord> brokers = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      String[] hp = cluster.clientAddress(i).split(":");
      brokers.add(BrokerRecord.newBuilder().setId(i).setHost(hp[0])
          .setRaftPort(cluster.net().ports(i)[1]).build());
    }
    int moves = 0;
    try (GroupAdmin groups = new GroupAdmin(new RaftProperties())) {
      for (int round = 0; round < 3 * ps.size(); round++) {
        PartitionInfo p = ps.get(random.nextInt(ps.size()));
        int target = p.replicas().get(random.nextInt(p.replicas().size()));
        try {
          groups.transferLeadership(p.raftGroupId(), p.replicas().stream().map(brokers::get).toList(),
              brokers.get(target));
          moves++;
        } catch (IOException e) {
          // A transfer refused mid-storm is part of the storm.
        }
      }
    }
    return moves + " leadership transfers over " + ps.size() + " partitions";
  }
}
