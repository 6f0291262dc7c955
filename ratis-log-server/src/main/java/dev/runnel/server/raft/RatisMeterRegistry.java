package dev.runnel.server.raft;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ratis metric registry (a server, a group member, an appender…) as Micrometer meters in the
 * bound broker registries. A meter Micrometer refuses (a name clash) is logged and left out:
 * metrics must never fail a Raft operation.
 */
final class RatisMeterRegistry implements RatisMetricRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RatisMeterRegistry.class);

  private final MetricRegistryInfo info;
  private final Collection<MeterRegistry> targets;
  /** Ratis name → the meters registered for it, to remove them again. */
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
  private final Map<String, Timekeeper> timers = new ConcurrentHashMap<>();
  private final Map<String, LongCounter> counters = new ConcurrentHashMap<>();

  RatisMeterRegistry(MetricRegistryInfo info, Collection<MeterRegistry> targets) {
    this.info = info;
    this.targets = targets;
  }

  private String meterName(String name) {
    return info.getApplicationName() + "." + info.getMetricsComponentName() + "." + name;
  }

  @Override
  public Timekeeper timer(String name) {
    return timers.computeIfAbsent(name, n -> {
      List<Timer> ts = new ArrayList<>();
      for (MeterRegistry r : targets) {
        register(n, () -> Timer.builder(meterName(n)).tag("member", info.getPrefix())
            .description(info.getMetricsDescription()).register(r)).ifPresent(ts::add);
      }
      return () -> {
        long start = System.nanoTime();
        return () -> {
          long elapsed = System.nanoTime() - start;
          for (Timer t : ts) {
            t.record(elapsed, TimeUnit.NANOSECONDS);
          }
          return elapsed;
        };
      };
    });
  }

  @Override
  public LongCounter counter(String name) {
    return counters.computeIfAbsent(name, n -> {
      // Ratis's counters also go down (dec), so they are gauges of a long, not Micrometer counters.
      AtomicLong value = new AtomicLong();
      for (MeterRegistry r : targets) {
        register(n, () -> Gauge.builder(meterName(n), value, AtomicLong::doubleValue)
            .tag("member", info.getPrefix()).strongReference(true).register(r));
      }
      return new LongCounter() {
        @Override
        public void inc(long n) {
          value.addAndGet(n);
        }

        @Override
        public void dec(long n) {
          value.addAndGet(-n);
        }

        @Override
        public long getCount() {
          return value.get();
        }
      };
    });
  }

  @Override
  public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
    Supplier<T> source = gaugeSupplier.get();
    // Ratis registers a gauge again when its source changes (a new leader state): the latest wins.
    remove(name);
    for (MeterRegistry r : targets) {
      register(name, () -> Gauge.builder(meterName(name), source, RatisMeterRegistry::asDouble)
          .tag("member", info.getPrefix()).strongReference(true).register(r));
    }
  }

  private static double asDouble(Supplier<?> source) {
    Object v = source.get();
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private <M extends Meter> Optional<M> register(String name, Supplier<M> registration) {
    try {
      M m = registration.get();
      meters.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(m);
      return Optional.of(m);
    } catch (RuntimeException e) {
      LOG.warn("Ratis metric {} of {} left out: {}", name, info.getPrefix(), e.toString());
      return Optional.empty();
    }
  }

  @Override
  public boolean remove(String name) {
    timers.remove(name);
    counters.remove(name);
    List<Meter> ms = meters.remove(name);
    if (ms == null) {
      return false;
    }
    for (Meter m : ms) {
      targets.forEach(r -> r.remove(m));
    }
    return true;
  }

  void removeAll() {
    List.copyOf(meters.keySet()).forEach(this::remove);
  }

  @Override
  public MetricRegistryInfo getMetricRegistryInfo() {
    return info;
  }
}
