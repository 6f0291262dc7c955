package dev.runnel.cli.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark workload, in the spirit of the OpenMessaging Benchmark's workload files (YAML): how
 * many topics and partitions, message size, producers and consumers per topic, the publish rate, the
 * duration and the key distribution, plus the producer settings Runnel's targets name.
 */
public record WorkloadSpec(String name, int topics, int partitionsPerTopic, int replicationFactor,
    int messageSize, int producersPerTopic, int consumersPerTopic, long producerRate, int durationSeconds,
    int warmupSeconds, String keyDistributor, String acks, int lingerMs, int batchSize, String compression) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // A missing number reads as 0 and is then reported by the range check that names it.
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks a workload file; every problem is named with its field. */
  public static WorkloadSpec read(Path file) {
    WorkloadSpec w;
    try {
      w = YAML.readValue(file.toFile(), WorkloadSpec.class);
    } catch (IOException e) {
      throw new CliException("cannot read workload " + file + ": " + e.getMessage().lines().findFirst().orElse(""), Main.EXIT_USAGE, null);
    }
    List<String> errors = new ArrayList<>();
    check(errors, w.name != null && !w.name.isBlank(), "name is required");
    check(errors, w.topics >= 1 && w.topics <= 100, "topics must be 1..100");
    check(errors, w.partitionsPerTopic >= 1 && w.partitionsPerTopic <= 10_000, "partitionsPerTopic must be 1..10000");
    check(errors, w.replicationFactor >= 1 && w.replicationFactor <= 5, "replicationFactor must be 1..5");
    check(errors, w.messageSize >= 8 && w.messageSize <= ProduceBench.MAX_RECORD_SIZE,
        "messageSize must be 8.." + ProduceBench.MAX_RECORD_SIZE);
    check(errors, w.producersPerTopic >= 1 && w.producersPerTopic <= ProduceBench.MAX_PRODUCERS,
        "producersPerTopic must be 1.." + ProduceBench.MAX_PRODUCERS);
    check(errors, w.consumersPerTopic >= 0 && w.consumersPerTopic <= 16, "consumersPerTopic must be 0..16");
    check(errors, w.producerRate == -1 || w.producerRate > 0, "producerRate must be -1 (as fast as possible) or > 0");
    check(errors, w.durationSeconds >= 1 && w.durationSeconds <= 86_400, "durationSeconds must be 1..86400");
    check(errors, w.warmupSeconds >= 0 && w.warmupSeconds <= 3600, "warmupSeconds must be 0..3600");
    check(errors, oneOf(w.keyDistributor, "NO_KEY", "RANDOM", "ROUND_ROBIN"),
        "keyDistributor must be NO_KEY, RANDOM or ROUND_ROBIN");
    check(errors, oneOf(w.acks, "none", "majority", "all"), "acks must be none, majority or all");
    check(errors, w.lingerMs >= 0 && w.lingerMs <= 60_000, "lingerMs must be 0..60000");
    check(errors, w.batchSize >= 1 && w.batchSize <= 64 << 20, "batchSize must be 1..67108864");
    check(errors, oneOf(w.compression, "none", "lz4", "zstd"), "compression must be none, lz4 or zstd");
    if (!errors.isEmpty()) {
      throw new CliException("workload " + file + ": " + String.join("; ", errors), Main.EXIT_USAGE, null);
    }
    return w;
  }

  private static boolean oneOf(String value, String... allowed) {
    return value != null && List.of(allowed).contains(value);
  }

  private static void check(List<String> errors, boolean ok, String message) {
    if (!ok) {
      errors.add(message);
    }
  }

  LoadProducer.Keys keys() {
    return keyDistributor.equals("NO_KEY") ? LoadProducer.Keys.NONE : LoadProducer.Keys.valueOf(keyDistributor);
  }
}
