package dev.runnel.cli.bench;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.cli.client.ClientOptions;
import dev.runnel.cli.client.ProduceCommand;
import dev.runnel.client.Admin;
import dev.runnel.client.AdminConfig;
import dev.runnel.client.CompressionType;
import dev.runnel.client.Consumer;
import dev.runnel.client.ConsumerConfig;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.RunnelAdmin;
import dev.runnel.client.RunnelConsumer;
import dev.runnel.client.serialization.ByteArrayDeserializer;
import dev.runnel.client.serialization.ByteArraySerializer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runnel bench workload FILE}: runs a workload file (see bench/workloads/): creates its
 * topics, runs its producers at its rate and its consumers for its duration after a warm-up, and
 * reports publish throughput and latency (send to acknowledgement) and, with consumers,
 * consume throughput and end-to-end latency (send to receipt).
 */
@Command(name = "workload", mixinStandardHelpOptions = true,
    description = "Run a workload file (topics, partitions, message size, producers, consumers, rate, duration).")
final class WorkloadBench implements Callable<Integer> {
  @ParentCommand BenchCommand bench;
  @Mixin ClientOptions options;
  @Parameters(paramLabel = "FILE", description = "Workload file (YAML).") Path file;
  @Option(names = "--json", paramLabel = "FILE", description = "Write figures and latency percentiles as JSON.") Path json;

  @Override
  public Integer call() throws Exception {
    WorkloadSpec w = WorkloadSpec.read(file);
    Main main = bench.main;
    String bootstrap = options.bootstrap(main);
    List<String> topics = new ArrayList<>();
    String prefix = w.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + System.currentTimeMillis();
    try (Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(bootstrap).build())) {
      for (int t = 0; t < w.topics(); t++) {
        String name = prefix + "-" + t;
        admin.createTopic(name, w.partitionsPerTopic(), w.replicationFactor(), Map.of());
        topics.add(name);
      }
    }
    ProducerConfig pc = ProducerConfig.builder().bootstrapServers(bootstrap).acks(ProduceCommand.parseAcks(w.acks()))
        .linger(Duration.ofMillis(w.lingerMs())).batchSize(w.batchSize())
        .compression(CompressionType.valueOf(w.compression().toUpperCase(Locale.ROOT)))
        .keySerializer(new ByteArraySerializer()).valueSerializer(new ByteArraySerializer()).build();
    Recorder publish = new Recorder(3);
    Recorder endToEnd = new Recorder(3);
    AtomicLong acked = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicBoolean consuming = new AtomicBoolean(true);
    long runNanos = (w.warmupSeconds() + w.durationSeconds()) * 1_000_000_000L;
    StartGate gate = new StartGate(w.topics() * w.producersPerTopic());
    List<Thread> producers = new ArrayList<>();
    List<Thread> consumers = new ArrayList<>();
    for (String topic : topics) {
      for (int c = 0; c < w.consumersPerTopic(); c++) {
        consumers.add(new Thread(() -> consume(bootstrap, topic, endToEnd, consumed, consuming, failure),
            "bench-consumer-" + topic + "-" + c));
      }
      double rate = w.producerRate() < 0 ? -1 : (double) w.producerRate() / w.producersPerTopic();
      for (int p = 0; p < w.producersPerTopic(); p++) {
        producers.add(new Thread(new LoadProducer(pc, topic, Long.MAX_VALUE, rate, w.messageSize(), w.keys(), runNanos,
            gate, true, publish, acked, failure, p), "bench-producer-" + topic + "-" + p));
      }
    }
    consumers.forEach(Thread::start);
    producers.forEach(Thread::start);
    // Warm-up and duration count from when every producer has connected.
    long start = gate.openWhenReady();
    long measureFrom = start + w.warmupSeconds() * 1_000_000_000L;
    Histogram publishTotal = new Histogram(3);
    Histogram e2eTotal = new Histogram(3);
    long measuredAcked = 0;
    long measuredConsumed = 0;
    long lastReport = start;
    long lastAcked = 0;
    boolean measuring = w.warmupSeconds() == 0;
    while (producers.stream().anyMatch(Thread::isAlive) && failure.get() == null) {
      Thread.sleep(200);
      long now = System.nanoTime();
      if (!measuring && now >= measureFrom) {
        // The warm-up's figures are dropped.
        publish.getIntervalHistogram();
        endToEnd.getIntervalHistogram();
        measuredAcked = -acked.get();
        measuredConsumed = -consumed.get();
        measuring = true;
        main.err().println("warm-up done; measuring for " + w.durationSeconds() + " s");
      }
      if (now - lastReport >= 5_000_000_000L) {
        Histogram interval = publish.getIntervalHistogram();
        if (measuring) {
          publishTotal.add(interval);
        }
        long a = acked.get();
        main.err().println(LatencyReport.progress(a - lastAcked, (now - lastReport) / 1e9, interval));
        lastReport = now;
        lastAcked = a;
      }
    }
    publishTotal.add(publish.getIntervalHistogram());
    measuredAcked += acked.get();
    // Give consumers a moment to read what was acknowledged last.
    Thread.sleep(w.consumersPerTopic() > 0 ? 2000 : 0);
    consuming.set(false);
    for (Thread t : consumers) {
      t.join(10_000);
    }
    e2eTotal.add(endToEnd.getIntervalHistogram());
    measuredConsumed += consumed.get();
    if (failure.get() != null) {
      throw new CliException("workload failed: " + failure.get().getMessage());
    }
    double seconds = w.durationSeconds();
    main.out().println("publish: " + LatencyReport.finalLine(measuredAcked, measuredAcked * w.messageSize(), seconds,
        publishTotal));
    if (w.consumersPerTopic() > 0) {
      main.out().println(String.format(Locale.ROOT, "consume: %d records, %.1f records/sec (%.2f MB/sec); end-to-end"
              + " latency %.2f ms avg, %d ms 50th, %d ms 99th, %d ms 99.9th, %.2f ms max.", measuredConsumed,
          measuredConsumed / seconds, measuredConsumed * (double) w.messageSize() / seconds / (1024.0 * 1024.0),
          e2eTotal.getMean() / 1000.0, e2eTotal.getValueAtPercentile(50) / 1000,
          e2eTotal.getValueAtPercentile(99) / 1000, e2eTotal.getValueAtPercentile(99.9) / 1000,
          e2eTotal.getMaxValue() / 1000.0));
    }
    if (json != null) {
      Map<String, Number> figures = new LinkedHashMap<>();
      figures.put("publishedRecords", measuredAcked);
      figures.put("publishRecordsPerSec", measuredAcked / seconds);
      figures.put("consumedRecords", measuredConsumed);
      figures.put("e2eP99Ms", e2eTotal.getValueAtPercentile(99) / 1000.0);
      LatencyReport.writeJson(json, publishTotal, figures);
    }
    return Main.EXIT_OK;
  }

  private static void consume(String bootstrap, String topic, Recorder endToEnd, AtomicLong consumed,
      AtomicBoolean running, AtomicReference<Exception> failure) {
    ConsumerConfig cc = ConsumerConfig.builder().bootstrapServers(bootstrap).autoOffsetReset("earliest")
        .keyDeserializer(new ByteArrayDeserializer()).valueDeserializer(new ByteArrayDeserializer()).build();
    try (Consumer<byte[], byte[]> consumer = new RunnelConsumer<>(cc)) {
      consumer.subscribe(List.of(topic));
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long sent = ByteBuffer.wrap(r.value()).getLong();
          endToEnd.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
          consumed.incrementAndGet();
        }
      }
    } catch (Exception e) {
      failure.compareAndSet(null, e);
    }
  }
}
