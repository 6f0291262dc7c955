package dev.runnel.cli.bench;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.cli.client.ClientOptions;
import dev.runnel.client.Admin;
import dev.runnel.client.AdminConfig;
import dev.runnel.client.CompressionType;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.RunnelAdmin;
import dev.runnel.client.serialization.ByteArraySerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runnel bench produce}: like Kafka's ProducerPerformance. With a fixed --throughput, latency
 * is measured from each record's intended send time, so a stalled client does not hide the stall
 * (no coordinated omission).
 */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Produce load and report throughput and latency.")
final class ProduceBench implements Callable<Integer> {
  static final long MAX_RECORDS = 1_000_000_000L;
  static final int MAX_RECORD_SIZE = 16 << 20;
  static final int MAX_PRODUCERS = 64;

  @ParentCommand BenchCommand bench;
  @Mixin ClientOptions options;
  @Option(names = "--topic", required = true) String topic;
  @Option(names = "--num-records", required = true) long numRecords;
  @Option(names = "--record-size", defaultValue = "1024") int recordSize;
  @Option(names = "--throughput", defaultValue = "-1", description = "Records/s across all producers; -1 = as fast as possible.")
  long throughput;
  @Option(names = "--producers", defaultValue = "1") int producers;
  @Option(names = "--warmup-records", defaultValue = "0", description = "Leave the first N records out of an extra "
      + "steady-state summary line, as Kafka's ProducerPerformance does.")
  long warmupRecords;
  @Option(names = "--acks", defaultValue = "all") String acks;
  @Option(names = "--batch-size", defaultValue = "131072") int batchSize;
  @Option(names = "--linger-ms", defaultValue = "5") int lingerMs;
  @Option(names = "--compression", defaultValue = "none") String compression;
  @Option(names = "--keys", defaultValue = "none", description = "none, random or round-robin.") String keys;
  @Option(names = "--create-topic", description = "Create the topic first (--partitions, --replication-factor).")
  boolean createTopic;
  @Option(names = "--partitions", defaultValue = "6") int partitions;
  @Option(names = "--replication-factor", defaultValue = "3") int replicationFactor;
  @Option(names = "--json", paramLabel = "FILE", description = "Write full latency percentiles as JSON.") Path json;

  @Override
  public Integer call() throws Exception {
    validate();
    Main main = bench.main;
    String bootstrap = options.bootstrap(main);
    if (createTopic) {
      try (Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(bootstrap).build())) {
        admin.createTopic(topic, partitions, replicationFactor, Map.of());
      }
    }
    Recorder recorder = new Recorder(3);
    Recorder steady = new Recorder(3);
    SteadyStart steadyStart = new SteadyStart();
    Histogram total = new Histogram(3);
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    StartGate gate = new StartGate(producers);
    // Records/s counts from here, the client's bootstrap included, as Kafka's ProducerPerformance
    // does (its first send waits for metadata); the send schedule, and so latency, starts at the gate.
    long start = System.nanoTime();
    for (int p = 0; p < producers; p++) {
      long count = share(numRecords, p);
      long warmup = share(warmupRecords, p);
      double rate = throughput < 0 ? -1 : (double) throughput / producers;
      int id = p;
      Thread t = new Thread(() -> runProducer(bootstrap, id, count, rate, gate, recorder, acked, failure, warmup,
          steady, steadyStart),
          "bench-producer-" + p);
      threads.add(t);
      t.start();
    }
    gate.openWhenReady();
    long lastReport = start;
    long lastAcked = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      for (Thread t : threads) {
        t.join(200);
      }
      long now = System.nanoTime();
      if (now - lastReport >= 5_000_000_000L) {
        Histogram interval = recorder.getIntervalHistogram();
        total.add(interval);
        long a = acked.get();
        main.err().println(LatencyReport.progress(a - lastAcked, (now - lastReport) / 1e9, interval));
        lastReport = now;
        lastAcked = a;
      }
    }
    total.add(recorder.getIntervalHistogram());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw new CliException("benchmark failed after " + acked.get() + " records: " + failure.get().getMessage());
    }
    main.out().println(LatencyReport.finalLine(acked.get(), acked.get() * recordSize, seconds, total));
    Map<String, Histogram> latencies = new java.util.LinkedHashMap<>();
    latencies.put("latencyMs", total);
    Map<String, Number> figures = new java.util.LinkedHashMap<>(Map.of("records", acked.get(), "seconds", seconds,
        "recordsPerSec", acked.get() / seconds, "recordSize", recordSize));
    if (warmupRecords > 0) {
      Histogram h = steady.getIntervalHistogram();
      long end = System.nanoTime();
      double steadySeconds = (end - steadyStart.get().orElse(end)) / 1e9;
      if (h.getTotalCount() > 0 && steadySeconds > 0) {
        main.out().println(LatencyReport.steadyStateLine(h.getTotalCount(), h.getTotalCount() * recordSize,
            steadySeconds, h));
        latencies.put("steadyStateLatencyMs", h);
        figures.put("steadyStateRecords", h.getTotalCount());
        figures.put("steadyStateRecordsPerSec", h.getTotalCount() / steadySeconds);
      }
    }
    if (json != null) {
      LatencyReport.writeJson(json, latencies, figures);
    }
    return Main.EXIT_OK;
  }

  /** Producer {@code p}'s part of {@code n}. */
  private long share(long n, int p) {
    return n / producers + (p < n % producers ? 1 : 0);
  }

  private void runProducer(String bootstrap, int id, long count, double rate, StartGate gate, Recorder recorder,
      AtomicLong acked, AtomicReference<Exception> failure, long warmup, Recorder steady, SteadyStart steadyStart) {
    ProducerConfig config = ProducerConfig.builder().bootstrapServers(bootstrap)
        .acks(dev.runnel.cli.client.ProduceCommand.parseAcks(acks)).batchSize(batchSize)
        .linger(Duration.ofMillis(lingerMs)).compression(CompressionType.valueOf(compression.toUpperCase(Locale.ROOT)))
        .keySerializer(new ByteArraySerializer()).valueSerializer(new ByteArraySerializer()).build();
    new LoadProducer(config, topic, count, rate, recordSize,
        LoadProducer.Keys.valueOf(keys.toUpperCase(Locale.ROOT).replace('-', '_')), Long.MAX_VALUE, gate, false,
        recorder, acked, failure, id, warmup, warmupRecords > 0 ? steady : null, steadyStart).run();
  }

  private void validate() {
    List<String> errors = new ArrayList<>();
    if (numRecords < 1 || numRecords > MAX_RECORDS) {
      errors.add("--num-records must be 1.." + MAX_RECORDS);
    }
    if (warmupRecords < 0 || warmupRecords >= numRecords) {
      errors.add("--warmup-records must be 0 or more and fewer than --num-records");
    }
    if (recordSize < 1 || recordSize > MAX_RECORD_SIZE) {
      errors.add("--record-size must be 1.." + MAX_RECORD_SIZE);
    }
    if (throughput == 0 || throughput < -1) {
      errors.add("--throughput must be -1 or positive");
    }
    if (producers < 1 || producers > MAX_PRODUCERS) {
      errors.add("--producers must be 1.." + MAX_PRODUCERS);
    }
    if (!List.of("none", "random", "round-robin").contains(keys)) {
      errors.add("--keys must be none, random or round-robin");
    }
    if (!List.of("none", "lz4", "zstd").contains(compression)) {
      errors.add("--compression must be none, lz4 or zstd");
    }
    if (!errors.isEmpty()) {
      throw new CliException(String.join("; ", errors), Main.EXIT_USAGE, null);
    }
    dev.runnel.cli.client.ProduceCommand.parseAcks(acks);
  }
}
