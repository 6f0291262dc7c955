package dev.runnel.cli.bench;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.cli.client.ClientOptions;
import dev.runnel.client.Consumer;
import dev.runnel.client.ConsumerConfig;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.RunnelConsumer;
import dev.runnel.client.serialization.ByteArrayDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code runnel bench consume}: reads a topic from the beginning, like Kafka's ConsumerPerformance. */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Read a topic from the start and report throughput.")
final class ConsumeBench implements Callable<Integer> {
  @ParentCommand BenchCommand bench;
  @Mixin ClientOptions options;
  @Option(names = "--topic", required = true) String topic;
  @Option(names = "--num-records", required = true) long numRecords;
  @Option(names = "--timeout", defaultValue = "30", description = "Give up after this many seconds without records.")
  int idleSeconds;

  @Override
  public Integer call() {
    if (numRecords < 1 || idleSeconds < 1) {
      throw new CliException("--num-records and --timeout must be positive", Main.EXIT_USAGE, null);
    }
    ConsumerConfig config = ConsumerConfig.builder().bootstrapServers(options.bootstrap(bench.main))
        .autoOffsetReset("earliest").keyDeserializer(new ByteArrayDeserializer())
        .valueDeserializer(new ByteArrayDeserializer()).build();
    long records = 0;
    long bytes = 0;
    long start = System.nanoTime();
    long lastRecord = start;
    try (Consumer<byte[], byte[]> consumer = new RunnelConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while (records < numRecords) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records++;
          bytes += r.value() == null ? 0 : r.value().length;
          lastRecord = System.nanoTime();
        }
        if (System.nanoTime() - lastRecord > idleSeconds * 1_000_000_000L) {
          throw new CliException("only " + records + " of " + numRecords + " records arrived");
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    bench.main.out().println(String.format(Locale.ROOT,
        "%d records consumed in %.2f s: %.1f records/sec (%.2f MB/sec).", records, seconds,
        records / seconds, bytes / seconds / (1024.0 * 1024.0)));
    return Main.EXIT_OK;
  }
}
