package dev.runnel.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to Runnel topics. Thread-safe: share one producer between threads (it batches better
 * than many).
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put("bootstrap.servers", "localhost:9292");
 * props.put("key.serializer", "dev.runnel.client.serialization.StringSerializer");
 * props.put("value.serializer", "dev.runnel.client.serialization.StringSerializer");
 * try (Producer<String, String> producer = new RunnelProducer<>(new ProducerConfig(props))) {
 *   producer.send(new ProducerRecord<>("orders", "customer-42", "{\"total\": 12}"),
 *       (metadata, error) -> {
 *         if (error != null) {
 *           log.error("order not stored", error);
 *         }
 *       });
 *   RecordMetadata md = producer.send(new ProducerRecord<>("orders", "customer-7", "{}")).get();
 *   System.out.println("stored at " + md.partition() + "/" + md.offset());
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 * @see RunnelProducer
 * @see MockProducer
 */
public interface Producer<K, V> extends AutoCloseable {

  /**
   * Sends a record asynchronously; same as {@code send(record, null)}.
   *
   * @see #send(ProducerRecord, Callback)
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

  /**
   * Adds the record to a batch and returns at once (unless metadata or buffer space must be waited
   * for, up to {@code max.block.ms}). The future and callback complete when the record is
   * acknowledged per {@code acks}, or has failed after retries. Records with the same key, and any
   * records of one partition, are stored in the order they were sent.
   *
   * <p>Protocol failures ({@link dev.runnel.client.errors.ApiException}: the topic is not in metadata
   * in time, the buffer stays full, the record is too large, the broker rejects it) are reported
   * through the future and callback, never thrown.
   *
   * @param callback called once on the producer's I/O thread; may be null
   * @throws dev.runnel.client.errors.SerializationException if the key or value cannot be serialized
   * @throws dev.runnel.client.errors.InterruptException if interrupted while blocked
   * @throws IllegalStateException if the producer is closed
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

  /**
   * Makes every record sent so far sendable at once (ignoring {@code linger.ms}) and blocks until all
   * of them have completed, successfully or not.
   *
   * @throws dev.runnel.client.errors.InterruptException if interrupted while waiting
   */
  void flush();

  /**
   * The partitions of a topic, from metadata (fetched if needed, waiting up to {@code max.block.ms}).
   *
   * @throws dev.runnel.client.errors.TimeoutException if the topic is not known in time
   */
  List<PartitionInfo> partitionsFor(String topic);

  /** Closes gracefully, waiting as long as it takes for sent records to complete. */
  @Override
  void close();

  /**
   * Closes: waits up to {@code timeout} for sent records to complete, then fails the rest with a
   * {@link dev.runnel.client.errors.RunnelException} and releases every connection. A zero timeout
   * fails pending records at once.
   */
  void close(Duration timeout);
}
