package dev.runnel.client.internals.record;

import com.google.protobuf.ByteString;

/**
 * A serialized {@code runnel.v1.RecordBatch} ready to send, with the header facts the producer needs.
 *
 * @param bytes the serialized RecordBatch
 * @param recordCount records in the batch
 * @param baseTimestampMs the batch's base timestamp
 * @param uncompressedBytes size of the RecordList before compression
 */
public record EncodedBatch(ByteString bytes, int recordCount, long baseTimestampMs,
    int uncompressedBytes) {}
