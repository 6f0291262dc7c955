package dev.runnel.client;

/**
 * The answer of {@code offsetsForTimes}: the first offset whose batch has a timestamp at or after the
 * one asked for, and that batch's max timestamp.
 *
 * @param offset the offset
 * @param timestamp the batch's largest record timestamp in ms since the epoch
 */
public record OffsetAndTimestamp(long offset, long timestamp) {}
