package dev.runnel.client.internals.consumer;

/** The consumer settings the fetch thread uses. */
public record FetchSettings(int minBytes, int maxBytes, int maxWaitMs, int maxPartitionBytes,
    int requestTimeoutMs, long retryBackoffMs, boolean checkCrcs) {}
