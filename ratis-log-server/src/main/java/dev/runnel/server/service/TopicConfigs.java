package dev.runnel.server.service;

import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.config.ServerConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-topic configuration keys: their validation and their effective values (the topic's override,
 * else the broker default). Unknown keys are rejected so that a typo never silently does nothing.
 */
public final class TopicConfigs {
  public static final String RETENTION_MS = "retention.ms";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String MAX_RECORD_BYTES = "max.record.bytes";

  private TopicConfigs() {}

  /** Checks every key and value; throws INVALID_CONFIG naming the first bad one. */
  public static void validate(Map<String, String> configs, ServerConfig broker) {
    for (Map.Entry<String, String> e : configs.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      switch (k) {
        case RETENTION_MS, RETENTION_BYTES -> {
          long n = parse(k, v);
          if (n < -1) {
            throw invalid(k, v, "-1 (unlimited) or a non-negative number");
          }
        }
        case MAX_RECORD_BYTES -> {
          long n = parse(k, v);
          if (n < 1 || n > broker.maxBatchBytes()) {
            throw invalid(k, v, "1.." + broker.maxBatchBytes() + " (the broker's max.batch.bytes)");
          }
        }
        default -> throw new ServiceException(ErrorCode.INVALID_CONFIG, "unknown topic config '" + k
            + "'; known: " + RETENTION_MS + ", " + RETENTION_BYTES + ", " + MAX_RECORD_BYTES);
      }
    }
  }

  /** Checks that a key is known (for removals, which carry no value). */
  public static void validateKey(String k) {
    if (!k.equals(RETENTION_MS) && !k.equals(RETENTION_BYTES) && !k.equals(MAX_RECORD_BYTES)) {
      validate(Map.of(k, ""), null);
    }
  }

  /** Every key with its effective value. */
  public static Map<String, String> effective(TopicRecord t, ServerConfig broker) {
    Map<String, String> out = new TreeMap<>();
    out.put(RETENTION_MS, Long.toString(broker.retentionMs()));
    out.put(RETENTION_BYTES, Long.toString(broker.retentionBytes()));
    out.put(MAX_RECORD_BYTES, Integer.toString(broker.maxRecordBytes()));
    out.putAll(t.getConfigsMap());
    return out;
  }

  public static int maxRecordBytes(TopicRecord t, ServerConfig broker) {
    String v = t.getConfigsMap().get(MAX_RECORD_BYTES);
    return v == null ? broker.maxRecordBytes() : Integer.parseInt(v);
  }

  private static long parse(String k, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw invalid(k, v, "an integer");
    }
  }

  private static ServiceException invalid(String k, String v, String allowed) {
    return new ServiceException(ErrorCode.INVALID_CONFIG,
        "topic config " + k + ": '" + v + "' is not valid; expected " + allowed);
  }
}
