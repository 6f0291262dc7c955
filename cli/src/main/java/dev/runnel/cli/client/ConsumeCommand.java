package dev.runnel.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import dev.runnel.client.Consumer;
import dev.runnel.client.ConsumerConfig;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.Header;
import dev.runnel.client.RunnelConsumer;
import dev.runnel.client.TopicPartition;
import dev.runnel.client.serialization.ByteArrayDeserializer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runnel consume TOPIC}: print records as text or JSON lines. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = {"Print a topic's records, one per line.",
        "Without --follow it stops once no record arrived for --timeout (default 2s)."})
public final class ConsumeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand Main main;
  @Mixin ClientOptions options;
  @Parameters(paramLabel = "TOPIC") String topic;
  @Option(names = "--from-beginning", description = "Start at the earliest offset (default: only new records).")
  boolean fromBeginning;
  @Option(names = "--partition", paramLabel = "N", description = "Read only this partition.")
  Integer partition;
  @Option(names = "--offset", paramLabel = "OFFSET", description = "Start at this offset (needs --partition).")
  Long offset;
  @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N records.")
  Long maxMessages;
  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Stop after this long without a record, e.g. 2s, 500ms, 1m (default 2s; with --follow: never).")
  String timeout;
  @Option(names = "--follow", description = "Keep waiting for new records (until Ctrl-C or --timeout).")
  boolean follow;
  @Option(names = "--print-key", description = "Print the key before the value (text format).")
  boolean printKey;
  @Option(names = "--print-offset", description = "Print partition and offset first (text format).")
  boolean printOffset;
  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text (default) or json: one object per line with topic, partition, offset, timestamp, key, value, headers.")
  String format;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw usage("--format must be text or json, got '" + format + "'");
    }
    if (offset != null && partition == null) {
      throw usage("--offset needs --partition");
    }
    if (partition != null && partition < 0 || offset != null && offset < 0
        || maxMessages != null && maxMessages < 1) {
      throw usage("--partition and --offset must be >= 0 and --max-messages >= 1");
    }
    Duration idle = timeout != null ? Durations.parse("--timeout", timeout)
        : follow ? null : Duration.ofSeconds(2);
    ConsumerConfig config = ConsumerConfig.builder().bootstrapServers(options.bootstrap(main))
        .autoOffsetReset(fromBeginning ? "earliest" : "latest")
        .keyDeserializer(new ByteArrayDeserializer()).valueDeserializer(new ByteArrayDeserializer()).build();
    long printed = 0;
    try (Consumer<byte[], byte[]> consumer = new RunnelConsumer<>(config)) {
      position(consumer);
      long lastRecordNanos = System.nanoTime();
      PrintWriter out = main.out();
      while (maxMessages == null || printed < maxMessages) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          out.println(format.equals("json") ? json(r) : text(r));
          lastRecordNanos = System.nanoTime();
          if (maxMessages != null && ++printed >= maxMessages) {
            break;
          } else if (maxMessages == null) {
            printed++;
          }
        }
        out.flush();
        if (idle != null && System.nanoTime() - lastRecordNanos > idle.toNanos()) {
          break;
        }
      }
    }
    main.err().printf("%d records consumed from %s.%n", printed, topic);
    return Main.EXIT_OK;
  }

  private void position(Consumer<byte[], byte[]> consumer) {
    if (partition == null) {
      consumer.subscribe(List.of(topic));
      return;
    }
    int partitions = consumer.partitionsFor(topic).size();
    if (partition >= partitions) {
      throw new CliException("topic '" + topic + "' has partitions 0.." + (partitions - 1)
          + "; partition " + partition + " does not exist");
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    if (offset != null) {
      consumer.seek(tp, offset);
    } else if (fromBeginning) {
      consumer.seekToBeginning(List.of(tp));
    } else {
      consumer.seekToEnd(List.of(tp));
    }
  }

  private String text(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder b = new StringBuilder();
    if (printOffset) {
      b.append(r.partition()).append('@').append(r.offset()).append('\t');
    }
    if (printKey) {
      b.append(r.key() == null ? "null" : utf8(r.key())).append('\t');
    }
    return b.append(r.value() == null ? "null" : utf8(r.value())).toString();
  }

  private static String json(ConsumerRecord<byte[], byte[]> r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
        .put("timestamp", r.timestamp());
    o.put("key", r.key() == null ? null : utf8(r.key()));
    o.put("value", r.value() == null ? null : utf8(r.value()));
    ObjectNode headers = o.putObject("headers");
    if (r.headers() != null) {
      for (Header h : r.headers()) {
        headers.put(h.key(), h.value() == null ? null : utf8(h.value()));
      }
    }
    return o.toString();
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static CliException usage(String message) {
    return new CliException(message, Main.EXIT_USAGE, null);
  }
}
