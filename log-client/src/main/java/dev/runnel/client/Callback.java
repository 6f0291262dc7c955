package dev.runnel.client;

/**
 * Called once when a sent record is acknowledged or has failed. Callbacks run on the producer's I/O
 * thread, in send order per partition, so they must be quick; hand slow work to your own executor.
 */
@FunctionalInterface
public interface Callback {
  /**
   * @param metadata where the record was stored, or null if it failed
   * @param exception null on success; otherwise why the record was not (or may not have been) stored
   */
  void onCompletion(RecordMetadata metadata, Exception exception);
}
