package dev.runnel.cli.bench;

import dev.runnel.client.Producer;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.ProducerRecord;
import dev.runnel.client.RunnelProducer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * One benchmark producer: sends {@code count} records at a fixed rate (or as fast as it can) for at
 * most {@code runNanos}, recording each acknowledgement's latency from the record's intended send
 * time (no coordinated omission). The schedule starts when the {@link StartGate} opens, after this
 * producer has fetched the topic's metadata. With {@code stamp}, each value starts with that time (this JVM's
 * nanoTime), for end-to-end latency measured by a consumer in the same process.
 */
final class LoadProducer implements Runnable {
  /** Key choice per record: none, random (one of a million) or round-robin (one of a thousand). */
  enum Keys { NONE, RANDOM, ROUND_ROBIN }

  private final ProducerConfig config;
  private final String topic;
  private final long count;
  private final double rate;
  private final int recordSize;
  private final Keys keys;
  private final long runNanos;
  private final StartGate gate;
  private final boolean stamp;
  private final Recorder recorder;
  private final long warmupRecords;
  private final Recorder steady;
  private final SteadyStart steadyStart;
  private final AtomicLong acked;
  private final AtomicReference<Exception> failure;
  private final long seed;

  LoadProducer(ProducerConfig config, String topic, long count, double rate, int recordSize, Keys keys,
      long runNanos, StartGate gate, boolean stamp, Recorder recorder, AtomicLong acked, AtomicReference<Exception> failure,
      long seed) {
    this(config, topic, count, rate, recordSize, keys, runNanos, gate, stamp, recorder, acked, failure, seed, 0,
        null, null);
  }

  /**
   * With {@code warmupRecords}, this producer's first that many records are left out of
   * {@code steady}, which records the others; {@code steadyStart} learns when the first of those
   * was sent.
   */
  LoadProducer(ProducerConfig config, String topic, long count, double rate, int recordSize, Keys keys,
      long runNanos, StartGate gate, boolean stamp, Recorder recorder, AtomicLong acked, AtomicReference<Exception> failure,
      long seed, long warmupRecords, Recorder steady, SteadyStart steadyStart) {
    this.config = config;
    this.topic = topic;
    this.count = count;
    this.rate = rate;
    this.recordSize = recordSize;
    this.keys = keys;
    this.runNanos = runNanos;
    this.gate = gate;
    this.stamp = stamp;
    this.recorder = recorder;
    this.acked = acked;
    this.failure = failure;
    this.seed = seed;
    this.warmupRecords = warmupRecords;
    this.steady = steady;
    this.steadyStart = steadyStart;
  }

  @Override
  public void run() {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] shared = new byte[recordSize];
    random.nextBytes(shared);
    boolean arrived = false;
    try (Producer<byte[], byte[]> producer = new RunnelProducer<>(config)) {
      producer.partitionsFor(topic);
      arrived = true;
      gate.arrive();
      gate.awaitOpen();
      long begin = System.nanoTime();
      long deadline = runNanos > Long.MAX_VALUE - begin ? Long.MAX_VALUE : begin + runNanos;
      for (long i = 0; i < count && failure.get() == null && System.nanoTime() < deadline; i++) {
        long intended = rate < 0 ? System.nanoTime() : begin + (long) (i * 1e9 / rate);
        long wait = intended - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        byte[] key = switch (keys) {
          case RANDOM -> Long.toString(random.nextLong(1_000_000)).getBytes(StandardCharsets.UTF_8);
          case ROUND_ROBIN -> Long.toString(i % 1000).getBytes(StandardCharsets.UTF_8);
          case NONE -> null;
        };
        byte[] value = shared;
        if (stamp) {
          value = shared.clone();
          ByteBuffer.wrap(value).putLong(intended);
        }
        boolean measured = steady != null && i >= warmupRecords;
        if (measured && i == warmupRecords) {
          steadyStart.sentAt(System.nanoTime());
        }
        producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          } else {
            long micros = Math.max(0, (System.nanoTime() - intended) / 1000);
            recorder.recordValue(micros);
            if (measured) {
              steady.recordValue(micros);
            }
            acked.incrementAndGet();
          }
        });
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    } catch (Exception e) {
      failure.compareAndSet(null, e);
    } finally {
      if (!arrived) {
        gate.arrive();
      }
    }
  }
}
