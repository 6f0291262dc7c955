package dev.runnel.client.internals.producer;

import dev.runnel.client.Acks;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.internals.record.Codecs;
import dev.runnel.proto.v1.Compression;

/** The producer settings the sender thread uses, taken once from the config. */
public record SenderSettings(Acks acks, Compression codec, int maxRequestSize, int maxInFlight,
    int requestTimeoutMs, int deliveryTimeoutMs, int retries, long retryBackoffMs) {

  public static SenderSettings of(ProducerConfig c) {
    return new SenderSettings(c.acks(), Codecs.toProto(c.compression()), c.maxRequestSize(),
        c.maxInFlight(), c.requestTimeoutMs(), c.deliveryTimeoutMs(), c.retries(), c.retryBackoffMs());
  }
}
