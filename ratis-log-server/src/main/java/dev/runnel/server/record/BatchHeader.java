package dev.runnel.server.record;

import dev.runnel.proto.v1.Compression;

/**
 * The fields of a {@code runnel.v1.RecordBatch} the broker needs, parsed once on the leader. The
 * records themselves are never decoded by the broker.
 *
 * @param sizeBytes size of the whole serialized batch
 */
public record BatchHeader(
    int formatVersion,
    int crc,
    int recordCount,
    long baseTimestampMs,
    long maxTimestampMs,
    Compression compression,
    long producerId,
    int producerEpoch,
    int baseSequence,
    int sizeBytes) {

  public boolean idempotent() {
    return producerId != 0;
  }
}
