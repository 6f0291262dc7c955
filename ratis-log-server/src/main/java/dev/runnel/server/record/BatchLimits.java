package dev.runnel.server.record;

/**
 * Size limits a produced batch must respect, checked by {@link BatchValidator}.
 *
 * @param maxRecordBytes largest serialized {@code Record} accepted (the topic's
 *     {@code max.record.bytes}); enforced only for uncompressed batches, see {@link BatchValidator}
 * @param maxBatchBytes largest serialized {@code RecordBatch} accepted (the broker's
 *     {@code max.batch.bytes})
 * @param maxBatchRecords largest {@code record_count} accepted (the broker's
 *     {@code max.batch.records})
 */
public record BatchLimits(int maxRecordBytes, int maxBatchBytes, int maxBatchRecords) {

  public BatchLimits {
    requirePositive("maxRecordBytes", maxRecordBytes);
    requirePositive("maxBatchBytes", maxBatchBytes);
    requirePositive("maxBatchRecords", maxBatchRecords);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
