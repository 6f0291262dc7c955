package dev.runnel.client.internals.record;

import dev.runnel.proto.v1.Compression;
import java.util.List;

/**
 * A RecordBatch parsed by the consumer: its header and its records in order. Record {@code i} has offset
 * {@code baseOffset + i}, where the base offset comes from the fetch response.
 */
public record DecodedBatch(int recordCount, long baseTimestampMs, long maxTimestampMs,
    Compression compression, long producerId, int baseSequence, List<RawRecord> records) {}
