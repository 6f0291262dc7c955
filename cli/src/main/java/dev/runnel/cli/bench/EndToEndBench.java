package dev.runnel.cli.bench;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.cli.client.ClientOptions;
import dev.runnel.client.Consumer;
import dev.runnel.client.ConsumerConfig;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.RunnelConsumer;
import dev.runnel.client.serialization.ByteArrayDeserializer;
import dev.runnel.client.serialization.ByteArraySerializer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runnel bench e2e}: end-to-end latency, from the moment a record is due to be sent (at a
 * fixed rate) to the moment a consumer in the same process receives it. Each value starts with its
 * due time, so the consumer needs no shared state and a stalled producer does not hide its stall.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
    description = "Measure send-to-receive latency at a fixed rate.")
final class EndToEndBench implements Callable<Integer> {
  @ParentCommand BenchCommand bench;
  @Mixin ClientOptions options;
  @Option(names = "--topic", required = true) String topic;
  @Option(names = "--num-records", required = true) long numRecords;
  @Option(names = "--record-size", defaultValue = "1024") int recordSize;
  @Option(names = "--throughput", defaultValue = "1000", description = "Records/s (must be > 0).") long throughput;
  @Option(names = "--acks", defaultValue = "majority") String acks;
  @Option(names = "--linger-ms", defaultValue = "5") int lingerMs;
  @Option(names = "--batch-size", defaultValue = "131072") int batchSize;
  @Option(names = "--timeout", defaultValue = "60", description = "Give up after this many seconds without records.")
  int idleSeconds;
  @Option(names = "--json", paramLabel = "FILE", description = "Write full latency percentiles as JSON.") Path json;

  @Override
  public Integer call() throws Exception {
    dev.runnel.cli.client.ProduceCommand.parseAcks(acks);
    if (numRecords < 1 || numRecords > ProduceBench.MAX_RECORDS || throughput < 1 || recordSize < 8
        || recordSize > ProduceBench.MAX_RECORD_SIZE || idleSeconds < 1) {
      throw new CliException("--num-records 1.." + ProduceBench.MAX_RECORDS + ", --throughput > 0, --record-size 8.."
          + ProduceBench.MAX_RECORD_SIZE + " and --timeout > 0 are required", Main.EXIT_USAGE, null);
    }
    String bootstrap = options.bootstrap(bench.main);
    Histogram latencyMicros = new Histogram(3);
    AtomicLong received = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    ConsumerConfig cc = ConsumerConfig.builder().bootstrapServers(bootstrap).autoOffsetReset("latest")
        .fetchMaxWait(Duration.ofMillis(100)).keyDeserializer(new ByteArrayDeserializer())
        .valueDeserializer(new ByteArrayDeserializer()).build();
    ProducerConfig pc = ProducerConfig.builder().bootstrapServers(bootstrap).acks(dev.runnel.cli.client.ProduceCommand.parseAcks(acks))
        .linger(Duration.ofMillis(lingerMs)).batchSize(batchSize).keySerializer(new ByteArraySerializer())
        .valueSerializer(new ByteArraySerializer()).build();
    long start;
    try (Consumer<byte[], byte[]> consumer = new RunnelConsumer<>(cc)) {
      consumer.subscribe(List.of(topic));
      // Join at the end of every partition before sending, so no record is missed or old.
      consumer.poll(Duration.ofSeconds(2));
      StartGate gate = new StartGate(1);
      Thread sender = new Thread(new LoadProducer(pc, topic, numRecords, throughput, recordSize,
          LoadProducer.Keys.NONE, Long.MAX_VALUE, gate, true, new org.HdrHistogram.Recorder(3), new AtomicLong(),
          failure, 1), "bench-e2e-producer");
      sender.start();
      start = gate.openWhenReady();
      long lastRecord = System.nanoTime();
      while (received.get() < numRecords && failure.get() == null) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long due = ByteBuffer.wrap(r.value()).getLong();
          latencyMicros.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
          received.incrementAndGet();
          lastRecord = System.nanoTime();
        }
        if (System.nanoTime() - lastRecord > idleSeconds * 1_000_000_000L) {
          throw new CliException("only " + received.get() + " of " + numRecords + " records arrived");
        }
      }
      sender.join();
    }
    if (failure.get() != null) {
      throw new CliException("sending failed: " + failure.get().getMessage());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    bench.main.out().println(String.format(Locale.ROOT, "%d records received at %.1f records/sec; end-to-end latency:"
            + " %.2f ms avg, %.2f ms max, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
        received.get(), received.get() / seconds, latencyMicros.getMean() / 1000.0, latencyMicros.getMaxValue() / 1000.0,
        latencyMicros.getValueAtPercentile(50) / 1000, latencyMicros.getValueAtPercentile(95) / 1000,
        latencyMicros.getValueAtPercentile(99) / 1000, latencyMicros.getValueAtPercentile(99.9) / 1000));
    if (json != null) {
      LatencyReport.writeJson(json, latencyMicros, new java.util.LinkedHashMap<>(
          java.util.Map.of("records", received.get(), "seconds", seconds, "recordSize", recordSize)));
    }
    return Main.EXIT_OK;
  }
}
