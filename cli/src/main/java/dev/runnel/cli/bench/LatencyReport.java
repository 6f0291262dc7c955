package dev.runnel.cli.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Formats results in the shape of Kafka's ProducerPerformance, so the two compare line by line. */
final class LatencyReport {
  private LatencyReport() {}

  /** The final line: "N records sent, X records/sec (Y MB/sec), A ms avg latency, ...". */
  static String finalLine(long records, long bytes, double seconds, Histogram latencyMicros) {
    return finalLine("", records, bytes, seconds, latencyMicros);
  }

  /** The same line for the records after a warm-up: "N steady state records sent, ...", as Kafka's. */
  static String steadyStateLine(long records, long bytes, double seconds, Histogram latencyMicros) {
    return finalLine(" steady state", records, bytes, seconds, latencyMicros);
  }

  private static String finalLine(String label, long records, long bytes, double seconds, Histogram latencyMicros) {
    double rate = records / seconds;
    double mb = bytes / seconds / (1024.0 * 1024.0);
    return String.format(Locale.ROOT, "%d%s records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, "
            + "%.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
        records, label, rate, mb, latencyMicros.getMean() / 1000.0, latencyMicros.getMaxValue() / 1000.0,
        ms(latencyMicros, 50), ms(latencyMicros, 95), ms(latencyMicros, 99), ms(latencyMicros, 99.9));
  }

  /** A progress line for the last interval. */
  static String progress(long records, double seconds, Histogram interval) {
    return String.format(Locale.ROOT, "%d records sent, %.1f records/sec, %.1f ms avg latency, %.1f ms max latency.",
        records, records / seconds, interval.getMean() / 1000.0, interval.getMaxValue() / 1000.0);
  }

  /** Writes the run's figures and the full latency percentiles (ms) as JSON. */
  static void writeJson(java.nio.file.Path file, Histogram latencyMicros, java.util.Map<String, Number> figures)
      throws java.io.IOException {
    writeJson(file, java.util.Map.of("latencyMs", latencyMicros), figures);
  }

  /** Writes the figures and, under each name, that histogram's percentiles (ms). */
  static void writeJson(java.nio.file.Path file, java.util.Map<String, Histogram> latencies,
      java.util.Map<String, Number> figures) throws java.io.IOException {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    figures.forEach((k, v) -> o.putPOJO(k, v));
    latencies.forEach((name, h) -> {
      com.fasterxml.jackson.databind.node.ObjectNode p = o.putObject(name);
      for (double q : new double[] {50, 75, 90, 95, 99, 99.9, 99.99, 100}) {
        p.put(Double.toString(q), h.getValueAtPercentile(q) / 1000.0);
      }
    });
    java.nio.file.Files.writeString(file, o.toPrettyString());
  }

  private static long ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000;
  }
}
