package dev.runnel.server.storage;

import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.PartitionStore.BatchAppend;
import java.util.List;
import java.util.Objects;

/** Argument checks shared by the store implementations, made before anything changes. */
final class StoreArgs {

  private StoreArgs() {}

  static void checkBatches(List<BatchAppend> batches) {
    Objects.requireNonNull(batches, "batches");
    for (int i = 0; i < batches.size(); i++) {
      final BatchAppend b = Objects.requireNonNull(batches.get(i), "batches[" + i + "]");
      Objects.requireNonNull(b.partition(), "batches[" + i + "].partition");
      Objects.requireNonNull(b.header(), "batches[" + i + "].header");
      Objects.requireNonNull(b.batch(), "batches[" + i + "].batch");
      if (b.header().sizeBytes() != b.size() || b.size() == 0) {
        throw new IllegalArgumentException("batches[" + i + "]: header says "
            + b.header().sizeBytes() + " bytes but the batch has " + b.size());
      }
      if (b.header().recordCount() < 1) {
        throw new IllegalArgumentException("batches[" + i + "]: record count must be >= 1, got "
            + b.header().recordCount());
      }
    }
  }

  /** Entries are applied once, in log order: a non-increasing index is a caller bug. */
  static void checkOrder(AppliedIndex at, AppliedIndex applied) {
    Objects.requireNonNull(at, "at");
    if (at.index() <= applied.index()) {
      throw new IllegalStateException(
          "entry " + at + " is not after the store's applied index " + applied);
    }
  }

  static void checkRead(PartitionId partition, int maxBytes) {
    Objects.requireNonNull(partition, "partition");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
    }
  }
}
