package dev.runnel.cli.client;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.client.Acks;
import dev.runnel.client.Producer;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.ProducerRecord;
import dev.runnel.client.RunnelProducer;
import dev.runnel.client.serialization.StringSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runnel produce TOPIC}: one record per line of standard input. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Send each line of standard input as a record (UTF-8).",
        "With --key-separator, a line 'key<SEP>value' becomes a keyed record."})
public final class ProduceCommand implements Callable<Integer> {
  /** Longest input line accepted; longer ones are refused rather than buffered without bound. */
  static final int MAX_LINE_CHARS = 1 << 20;

  @ParentCommand Main main;
  @Mixin ClientOptions options;
  @Parameters(paramLabel = "TOPIC") String topic;
  @Option(names = "--key-separator", paramLabel = "SEP",
      description = "Split each line at the first SEP into key and value; lines without it are an error.")
  String keySeparator;
  @Option(names = "--partition", paramLabel = "N", description = "Send every record to this partition.")
  Integer partition;
  @Option(names = "--acks", paramLabel = "LEVEL", defaultValue = "majority",
      description = "majority (default: committed on a majority), all, or none.")
  String acks;

  /** Standard input; replaceable in tests. */
  InputStream input = System.in;

  @Override
  public Integer call() throws IOException {
    Acks level = parseAcks(acks);
    if (partition != null && partition < 0) {
      throw new CliException("--partition must be >= 0, got " + partition, Main.EXIT_USAGE, null);
    }
    ProducerConfig config = ProducerConfig.builder().bootstrapServers(options.bootstrap(main)).acks(level)
        .enableIdempotence(level != Acks.NONE)
        .keySerializer(new StringSerializer()).valueSerializer(new StringSerializer()).build();
    AtomicLong sent = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    try (Producer<String, String> producer = new RunnelProducer<>(config);
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
      String line;
      long lineNo = 0;
      while ((line = in.readLine()) != null && firstError.get() == null) {
        lineNo++;
        if (line.length() > MAX_LINE_CHARS) {
          throw new CliException("line " + lineNo + " is longer than " + MAX_LINE_CHARS + " characters");
        }
        String key = null;
        String value = line;
        if (keySeparator != null) {
          int at = line.indexOf(keySeparator);
          if (at < 0) {
            throw new CliException("line " + lineNo + " has no key separator '" + keySeparator + "'",
                Main.EXIT_USAGE, null);
          }
          key = line.substring(0, at);
          value = line.substring(at + keySeparator.length());
        }
        producer.send(new ProducerRecord<>(topic, partition, key, value), (md, e) -> {
          if (e != null) {
            firstError.compareAndSet(null, e);
          } else {
            sent.incrementAndGet();
          }
        });
      }
      producer.flush();
    }
    if (firstError.get() != null) {
      throw new CliException("produce to '" + topic + "' failed after " + sent.get() + " records: "
          + firstError.get().getMessage());
    }
    main.err().printf("%d records produced to %s.%n", sent.get(), topic);
    return Main.EXIT_OK;
  }

  /** Parses --acks (majority|all|none, or Kafka's 1|-1|0); shared with the benchmark. */
  public static Acks parseAcks(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "majority", "1" -> Acks.MAJORITY;
      case "all", "-1" -> Acks.ALL;
      case "none", "0" -> Acks.NONE;
      default -> throw new CliException("--acks must be majority, all or none, got '" + s + "'",
          Main.EXIT_USAGE, null);
    };
  }
}
