package dev.runnel.server.raft;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis's metrics, kept in the broker's Micrometer registry (and so on its {@code /metrics}
 * endpoint) instead of Ratis's default Dropwizard registries reported over JMX.
 *
 * <p>Ratis finds this class through {@code META-INF/services} and makes one instance per JVM
 * ({@code MetricRegistries.global()}); a broker {@link #bind binds} its registry before it starts
 * its Raft server. Why: operators get Raft's own figures (log flush and append times, appender
 * and election metrics) next to Runnel's, and the Dropwizard timers' reservoirs (a skip-list insert
 * and a lock per sample) were ~2 % of a broker's CPU under W1. Each meter is named
 * {@code ratis.<component>.<name>} with a {@code member} tag: Ratis's registry prefix, the peer or
 * group member it belongs to.
 */
public final class RatisMeters extends MetricRegistries {
  /** Bound broker registries by Raft peer id; in production there is one. */
  private static final Map<String, MeterRegistry> BOUND = new ConcurrentHashMap<>();

  private final Map<MetricRegistryInfo, RatisMeterRegistry> registries = new ConcurrentHashMap<>();
  private final List<Consumer<RatisMetricRegistry>> onAdd = new CopyOnWriteArrayList<>();
  private final List<Consumer<RatisMetricRegistry>> onRemove = new CopyOnWriteArrayList<>();

  /** Peers whose broker publishes no Ratis metrics ({@code metrics.ratis=off}). */
  private static final Set<String> SILENT = ConcurrentHashMap.newKeySet();

  /** Ratis's meters of {@code peerId}'s members go to {@code meters} from now on. */
  public static void bind(String peerId, MeterRegistry meters) {
    SILENT.remove(peerId);
    BOUND.put(peerId, meters);
  }

  /** Ratis's meters of {@code peerId}'s members go nowhere (they still count, unseen). */
  public static void silence(String peerId) {
    BOUND.remove(peerId);
    SILENT.add(peerId);
  }

  public static void unbind(String peerId) {
    BOUND.remove(peerId);
    SILENT.remove(peerId);
  }

  private static boolean owns(String peer, String prefix) {
    return prefix.equals(peer) || prefix.startsWith(peer + "@");
  }

  /**
   * Where a Ratis registry's meters go: the broker whose peer id starts its prefix
   * ({@code "0"} or {@code "0@group-…"}); prefixes that name no peer (gRPC endpoint metrics) go to
   * every bound broker, which is the one broker of a production JVM.
   */
  static Collection<MeterRegistry> targets(String prefix) {
    for (Map.Entry<String, MeterRegistry> e : BOUND.entrySet()) {
      if (owns(e.getKey(), prefix)) {
        return List.of(e.getValue());
      }
    }
    if (SILENT.stream().anyMatch(peer -> owns(peer, prefix))) {
      return List.of();
    }
    return List.copyOf(BOUND.values());
  }

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    boolean[] created = {false};
    RatisMeterRegistry r = registries.computeIfAbsent(info, i -> {
      created[0] = true;
      return new RatisMeterRegistry(i, targets(i.getPrefix()));
    });
    if (created[0]) {
      onAdd.forEach(c -> c.accept(r));
    }
    return r;
  }

  @Override
  public boolean remove(MetricRegistryInfo info) {
    RatisMeterRegistry r = registries.remove(info);
    if (r == null) {
      return false;
    }
    r.removeAll();
    onRemove.forEach(c -> c.accept(r));
    return true;
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.ofNullable(registries.get(info));
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Set.copyOf(registries.keySet());
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return List.copyOf(registries.values());
  }

  @Override
  public void clear() {
    registries.keySet().forEach(this::remove);
  }

  @Override
  public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
      Consumer<RatisMetricRegistry> stopReporter) {
    onAdd.add(reporterRegistration);
    onRemove.add(stopReporter);
  }

  @Override
  public void removeReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
      Consumer<RatisMetricRegistry> stopReporter) {
    onAdd.remove(reporterRegistration);
    onRemove.remove(stopReporter);
  }

  /** Reporting is the broker's {@code /metrics} endpoint; Ratis's JMX reporter is not offered. */
  @Override
  public void enableJmxReporter() {}

  @Override
  public void enableConsoleReporter(TimeDuration consoleReportRate) {}
}
