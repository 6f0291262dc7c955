package dev.runnel.chaos.workload;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.PollOp;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ProduceOp.Outcome;
import dev.runnel.client.Acks;
import dev.runnel.client.ConsumerConfig;
import dev.runnel.client.ConsumerRecord;
import dev.runnel.client.ConsumerRecords;
import dev.runnel.client.ProducerConfig;
import dev.runnel.client.ProducerRecord;
import dev.runnel.client.RunnelConsumer;
import dev.runnel.client.RunnelProducer;
import dev.runnel.client.errors.InvalidTopicException;
import dev.runnel.client.errors.RecordTooLargeException;
import dev.runnel.client.errors.SerializationException;
import dev.runnel.client.serialization.StringDeserializer;
import dev.runnel.client.serialization.StringSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Idempotent producers writing values unique across the run (even ones keyed, odd ones unkeyed;
 * producers 0 and 3 of every four with acks=all, which waits while any replica is down, the others
 * with acks=majority) and one consumer polling the topic, all recording
 * what they did and what they were told into the history. Every loop is bounded in count and time.
 */
public final class Workload {
  /** How long a send may take, retries included, before its outcome is unknown. */
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

  private final String bootstrap;
  private final String topic;
  private final int producers;
  private final int ratePerProducer;
  private final History history;
  private final LongSupplier clock;
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicBoolean polling = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch producersDone;

  public Workload(String bootstrap, String topic, int producers, int ratePerProducer, History history,
      LongSupplier clock) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.producers = producers;
    this.ratePerProducer = ratePerProducer;
    this.history = history;
    this.clock = clock;
    this.producersDone = new CountDownLatch(producers);
  }

  /** Starts the producers and the consumer; they run until {@link #stop}, at most {@code maxRun}. */
  public void start(Duration maxRun) {
    long maxOps = Math.max(1, ratePerProducer * maxRun.toSeconds());
    for (int i = 0; i < producers; i++) {
      int id = i;
      threads.add(thread("chaos-producer-" + i, () -> produce(id, maxOps, maxRun)));
    }
    threads.add(thread("chaos-consumer", () -> consume(maxRun.plus(DELIVERY_TIMEOUT).plusSeconds(60))));
    threads.forEach(Thread::start);
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void produce(int id, long maxOps, Duration maxRun) {
    String name = "p" + id;
    ProducerConfig config = ProducerConfig.builder().bootstrapServers(bootstrap).clientId("chaos-" + name)
        .acks(id % 4 == 0 || id % 4 == 3 ? Acks.ALL : Acks.MAJORITY).enableIdempotence(true)
        .linger(Duration.ofMillis(5)).deliveryTimeout(DELIVERY_TIMEOUT).requestTimeout(Duration.ofSeconds(5))
        .maxBlock(Duration.ofSeconds(5)).keySerializer(new StringSerializer())
        .valueSerializer(new StringSerializer()).build();
    long deadline = System.nanoTime() + maxRun.toNanos();
    long pauseNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, ratePerProducer);
    try (RunnelProducer<String, String> p = new RunnelProducer<>(config)) {
      for (long seq = 0; seq < maxOps && sending.get() && System.nanoTime() < deadline; seq++) {
        String key = id % 2 == 0 ? "k" + (seq % 4) : null;
        String value = name + "-" + seq;
        long invoke = clock.getAsLong();
        try {
          p.send(new ProducerRecord<>(topic, key, value)).whenComplete((md, error) -> {
            if (error == null) {
              history.add(new ProduceOp(name, topic, key, value, invoke, clock.getAsLong(), Outcome.OK,
                  md.partition(), md.offset(), null));
            } else {
              history.add(new ProduceOp(name, topic, key, value, invoke, clock.getAsLong(), classify(error),
                  -1, -1, String.valueOf(unwrap(error).getMessage())));
            }
          });
        } catch (RuntimeException e) {
          // send() itself refused the record (no metadata in time, buffer full): never sent.
          history.add(new ProduceOp(name, topic, key, value, invoke, clock.getAsLong(), Outcome.FAIL, -1, -1,
              String.valueOf(e.getMessage())));
        }
        LockSupport.parkNanos(pauseNanos);
      }
      p.flush();
    } finally {
      producersDone.countDown();
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Only errors raised before anything was sent are definite failures; the rest may have been written. */
  private static Outcome classify(Throwable error) {
    Throwable t = unwrap(error);
    return t instanceof RecordTooLargeException || t instanceof SerializationException
        || t instanceof InvalidTopicException ? Outcome.FAIL : Outcome.UNKNOWN;
  }

  private void consume(Duration maxRun) {
    ConsumerConfig config = ConsumerConfig.builder().bootstrapServers(bootstrap).clientId("chaos-c0")
        .autoOffsetReset("earliest").keyDeserializer(new StringDeserializer())
        .valueDeserializer(new StringDeserializer()).build();
    long deadline = System.nanoTime() + maxRun.toNanos();
    try (RunnelConsumer<String, String> c = new RunnelConsumer<>(config)) {
      c.subscribe(List.of(topic));
      while (polling.get() && System.nanoTime() < deadline) {
        try {
          ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
          if (records.isEmpty()) {
            continue;
          }
          List<PollOp.Polled> seen = new ArrayList<>();
          for (ConsumerRecord<String, String> r : records) {
            seen.add(new PollOp.Polled(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
          }
          history.add(PollOp.poll("c0", clock.getAsLong(), seen));
        } catch (RuntimeException e) {
          // Brokers come and go: the consumer keeps its position and polls again.
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
      }
    }
  }

  /** Stops sending, waits for every outstanding send's outcome, then lets the consumer drain. */
  public void stop(Duration consumerDrain) throws InterruptedException {
    sending.set(false);
    producersDone.await(DELIVERY_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
    Thread.sleep(consumerDrain.toMillis());
    polling.set(false);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
  }
}
