package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResult;
import dev.runnel.server.testkit.LocalCluster;
import dev.runnel.server.testkit.StandaloneBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers as real processes killed with SIGKILL: once a single broker during writes, then the whole
 * cluster at once. Every acknowledged record must survive, offsets stay dense, nothing is applied
 * twice, and every replica ends byte-identical.
 */
@Timeout(300)
class CrashRecoveryTest {
  private static final int BROKERS = 3;
  private static final int PARTITIONS = 2;

  @TempDir Path dir;
  private final Process[] procs = new Process[BROKERS];
  private final int[][] ports = new int[BROKERS][3];
  /** The last lines each broker printed, to show when the test fails. */
  private final List<Deque<String>> tails = new ArrayList<>();

  @AfterEach
  void killAll() {
    for (Process p : procs) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void acknowledgedWritesSurviveKillNine() throws Exception {
    int[] free = LocalCluster.freePorts(BROKERS * 3);
    for (int i = 0; i < BROKERS; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = free[i * 3 + j];
      }
    }
    for (int i = 0; i < BROKERS; i++) {
      start(i);
    }
    Set<String> acked = new HashSet<>();
    try (TestClient c = new TestClient("127.0.0.1:" + ports[0][0])) {
      createTopic(c);
      produce(0, 300, acked);
      kill(1);            // one broker dies mid-stream
      produce(300, 600, acked);
      start(1);
      produce(600, 900, acked);
    }
    for (int i = 0; i < BROKERS; i++) {
      kill(i);            // the whole cluster crashes at once
    }
    for (int i = 0; i < BROKERS; i++) {
      start(i);
    }
    produce(900, 1000, acked);
    checkEverything(acked);
  }

  private void createTopic(TestClient c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        c.admin().createTopic(CreateTopicRequest.newBuilder().setName("crash").setPartitions(PARTITIONS)
            .setReplicationFactor(3).build());
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("topic not created: " + e.getMessage() + brokerTails(), e);
        }
        ClusterFixture.sleep(500);
      }
    }
  }

  /** Produces values [from, to) one batch each, recording those acknowledged; retries on errors. */
  private void produce(int from, int to, Set<String> acked) {
    for (int i = from; i < to; i++) {
      String v = "v" + i;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean done = false;
      while (!done && System.nanoTime() < deadline) {
        for (int b = 0; b < BROKERS && !done; b++) {
          if (procs[b] == null || !procs[b].isAlive()) {
            continue;
          }
          try (TestClient c = new TestClient("127.0.0.1:" + ports[b][0])) {
            ProduceResult r = c.log().produce(ProduceRequest.newBuilder().setTimeoutMs(5000).addBatches(
                PartitionBatch.newBuilder().setTopic("crash").setPartition(i % PARTITIONS)
                    .setBatch(Batches.of(0, 0, List.<String[]>of(new String[] {null, v})).toByteString())).build())
                .getResults(0);
            if (r.getError() == ErrorCode.ERROR_NONE) {
              acked.add(v);
              done = true;
            }
          } catch (Exception e) {
            // Broker unreachable or restarting: try another.
          }
        }
        if (!done) {
          ClusterFixture.sleep(200);
        }
      }
      assertTrue(done, "value " + v + " not acknowledged within 60 s");
    }
  }

  private void checkEverything(Set<String> acked) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int p = 0; p < PARTITIONS; p++) {
      List<Long> sums = new ArrayList<>();
      for (int b = 0; b < BROKERS; b++) {
        List<FetchedBatch> batches = awaitReplica(b, p);
        CRC32C crc = new CRC32C();
        long expected = 0;
        for (FetchedBatch fb : batches) {
          assertEquals(expected, fb.getBaseOffset(), "dense offsets on broker " + b);
          expected += ClusterFixture.recordCount(fb);
          crc.update(fb.getBatch().toByteArray());
          for (String kv : Batches.decode(fb.getBatch())) {
            String v = kv.substring(1);
            if (b == 0) {
              assertTrue(seen.add(v), "value " + v + " stored twice");
            }
          }
        }
        sums.add(crc.getValue());
      }
      assertEquals(1, new HashSet<>(sums).size(), "replicas of partition " + p + " differ: " + sums);
    }
    Set<String> lost = new HashSet<>(acked);
    lost.removeAll(seen);
    assertTrue(lost.isEmpty(), "acknowledged but lost: " + lost);
  }

  /** All of a partition from one broker's own replica, once it has caught up with the others. */
  private List<FetchedBatch> awaitReplica(int broker, int partition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<FetchedBatch> last = List.of();
    try (TestClient c = new TestClient("127.0.0.1:" + ports[broker][0])) {
      while (System.nanoTime() < deadline) {
        try {
          List<FetchedBatch> out = new ArrayList<>();
          long offset = 0;
          long hw = -1;
          for (int i = 0; i < 10_000; i++) {
            FetchedPartition fp = c.log().fetch(FetchRequest.newBuilder().setAllowFollower(true)
                .addPartitions(FetchPartition.newBuilder().setTopic("crash").setPartition(partition)
                    .setOffset(offset)).build()).getPartitions(0);
            if (fp.getError() != ErrorCode.ERROR_NONE || fp.getBatchesCount() == 0) {
              hw = fp.getHighWatermark();
              break;
            }
            for (FetchedBatch b : fp.getBatchesList()) {
              out.add(b);
              offset = b.getBaseOffset() + ClusterFixture.recordCount(b);
            }
          }
          last = out;
          if (hw == 500 && offset == 500) {
            return out;
          }
        } catch (RuntimeException e) {
          // Still starting.
        }
        ClusterFixture.sleep(300);
      }
    }
    throw new AssertionError("broker " + broker + " partition " + partition + " never caught up: "
        + last.size() + " batches");
  }

  private void start(int i) throws IOException {
    StringBuilder quorum = new StringBuilder();
    for (int j = 0; j < BROKERS; j++) {
      quorum.append(j == 0 ? "" : ",").append(j).append("@127.0.0.1:").append(ports[j][1]);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        StandaloneBroker.class.getName(), "broker.id=" + i, "data.dir=" + dir.resolve("b" + i),
        "listen.host=127.0.0.1", "advertised.host=127.0.0.1", "client.port=" + ports[i][0],
        "raft.port=" + ports[i][1], "http.port=" + ports[i][2], "metadata.quorum=" + quorum,
        "raft.rpc.timeout.min.ms=600", "raft.rpc.timeout.max.ms=1200", "broker.heartbeat.interval.ms=300",
        "broker.session.timeout.ms=3000", "controller.reconcile.interval.ms=200"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    procs[i] = p;
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    boolean ready = false;
    StringBuilder output = new StringBuilder();
    while (!ready && (line = r.readLine()) != null) {
      ready = line.startsWith("READY");
      output.append(line).append('\n');
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (!ready) {
      throw new AssertionError("broker " + i + " did not start:\n" + output);
    }
    // Keep draining its output so the child never blocks on a full pipe; keep the last lines.
    while (tails.size() <= i) {
      tails.add(new ArrayDeque<>());
    }
    Deque<String> tail = tails.get(i);
    Thread drain = new Thread(() -> {
      try {
        String l;
        while ((l = r.readLine()) != null) {
          synchronized (tail) {
            tail.addLast(l);
            if (tail.size() > 40) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        // Process gone.
      }
    });
    drain.setDaemon(true);
    drain.start();
  }

  private String brokerTails() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < tails.size(); i++) {
      synchronized (tails.get(i)) {
        b.append("\n--- broker ").append(i).append(", last lines:\n")
            .append(String.join("\n", tails.get(i)));
      }
    }
    return b.toString();
  }

  private void kill(int i) throws InterruptedException {
    procs[i].destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    procs[i].waitFor(30, TimeUnit.SECONDS);
    procs[i] = null;
  }

}
