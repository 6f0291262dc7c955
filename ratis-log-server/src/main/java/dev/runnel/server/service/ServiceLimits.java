package dev.runnel.server.service;

import dev.runnel.proto.internal.TopicRecord;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.record.BatchLimits;

/** Request limits from the broker configuration, with per-topic overrides where they exist. */
public final class ServiceLimits {
  private final ServerConfig config;

  public ServiceLimits(ServerConfig config) {
    this.config = config;
  }

  /** The request's own timeout if set, capped by the broker's request.timeout.ms. */
  public long timeoutMs(int requested) {
    int max = config.requestTimeoutMs();
    return requested <= 0 ? max : Math.min(requested, max);
  }

  public BatchLimits batchLimits(TopicRecord topic) {
    int maxRecord = TopicConfigs.maxRecordBytes(topic, config);
    return new BatchLimits(maxRecord, config.maxBatchBytes(), config.maxBatchRecords());
  }

  /** Most batch bytes in one Raft entry. */
  public int maxEntryBytes() {
    return config.maxBatchBytes();
  }

  public int fetchMaxBytes(int requested) {
    int max = config.fetchMaxBytes();
    return requested <= 0 ? max : Math.min(requested, max);
  }

  public long fetchMaxWaitMs(int requested) {
    return Math.max(0, Math.min(requested, config.fetchMaxWaitMs()));
  }
}
