package dev.runnel.chaos;

import dev.runnel.chaos.checker.Checker;
import dev.runnel.chaos.checker.Report;
import dev.runnel.chaos.cluster.ChaosCluster;
import dev.runnel.chaos.cluster.NamespaceNet;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.HistoryIO;
import dev.runnel.chaos.nemesis.Fault;
import dev.runnel.chaos.nemesis.Nemesis;
import dev.runnel.chaos.workload.FinalReader;
import dev.runnel.chaos.workload.Workload;
import dev.runnel.client.Admin;
import dev.runnel.client.AdminConfig;
import dev.runnel.client.RunnelAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run: start a cluster of broker processes, write and read while the nemesis injects
 * faults, heal, read every replica, check the history. The history, the report and every broker's
 * log stay in the run's directory.
 */
public final class ChaosRun {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
  static final String TOPIC = "chaos";

  /**
   * @param gap mean pause between faults
   * @param hold how long each fault lasts before it is healed
   */
  public record Settings(String name, long seed, int brokers, int partitions, int producers, int ratePerProducer,
      Duration duration, Duration gap, Duration hold, List<Fault> faults, Path dir) {}

  private ChaosRun() {}

  /** The seed from {@code -Drunnel.chaos.seed}, else a new one (always printed, to replay the run). */
  public static long seed() {
    String s = System.getProperty("runnel.chaos.seed");
    return s == null || s.isBlank() ? System.nanoTime() : Long.parseLong(s);
  }

  /** Network namespaces unless unavailable (not root) or turned off with -Drunnel.chaos.netns=false. */
  static boolean useNamespaces() {
    return !"false".equals(System.getProperty("runnel.chaos.netns")) && NamespaceNet.available();
  }

  public static Report run(Settings s) throws Exception {
    Path dir = s.dir().resolve(s.name() + "-" + s.seed());
    Files.createDirectories(dir);
    boolean namespaces = useNamespaces();
    LOG.info("Chaos run '{}' with seed {} (replay with -Drunnel.chaos.seed={}); faults {}; network {}; output {}",
        s.name(), s.seed(), s.seed(), s.faults(), namespaces ? "namespaces" : "loopback", dir);
    History h = new History(s.seed());
    long t0 = System.nanoTime();
    LongSupplier clock = () -> System.nanoTime() - t0;
    try (ChaosCluster c = ChaosCluster.start(s.brokers(), dir.resolve("cluster"), namespaces,
            Map.of("storage.verify.on.start", "after-crash"));
        Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(c.bootstrap()).build())) {
      admin.createTopic(TOPIC, s.partitions(), Math.min(3, s.brokers()));
      Workload w = new Workload(c.bootstrap(), TOPIC, s.producers(), s.ratePerProducer(), h, clock);
      w.start(s.duration().plusSeconds(30));
      int faults = new Nemesis(c, admin, TOPIC, s.seed(), h, clock, s.faults()).run(s.duration(), s.gap(), s.hold());
      c.healAll();
      c.awaitHealthy(Duration.ofSeconds(120));
      // A few seconds of writes on the healed cluster, then every outcome is settled.
      Thread.sleep(3000);
      w.stop(Duration.ofSeconds(5));
      FinalReader.readAll(c, admin, TOPIC, h, Duration.ofSeconds(120));
      LOG.info("Chaos run '{}': {} faults injected", s.name(), faults);
    } finally {
      HistoryIO.write(h, dir);
    }
    Report r = Checker.check(h);
    Files.writeString(dir.resolve("report.txt"), r.render(), StandardCharsets.UTF_8);
    LOG.info("Chaos run '{}' ({}):\n{}", s.name(), dir, r.render());
    return r;
  }
}
