package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RatisMetersTest {
  private final SimpleMeterRegistry a = new SimpleMeterRegistry();
  private final SimpleMeterRegistry b = new SimpleMeterRegistry();
  private final RatisMeters meters = new RatisMeters();

  @AfterEach
  void unbind() {
    meters.clear();
    RatisMeters.unbind("71");
    RatisMeters.unbind("72");
  }

  private static MetricRegistryInfo info(String prefix) {
    return new MetricRegistryInfo(prefix, "ratis", "log_worker", "Metrics for Log Worker");
  }

  @Test
  void ratisFindsThisImplementation() {
    assertTrue(MetricRegistries.global() instanceof RatisMeters, MetricRegistries.global().getClass().getName());
  }

  @Test
  void timersCountersAndGaugesBecomeMicrometerMetersOfTheMember() {
    RatisMeters.bind("71", a);
    RatisMetricRegistry r = meters.create(info("71@group-AB"));
    long elapsed = r.timer("flushTime").time().stop();
    Timer t = a.get("ratis.log_worker.flushTime").tag("member", "71@group-AB").timer();
    assertEquals(1, t.count());
    assertEquals(elapsed, (long) t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS));

    LongCounter c = r.counter("stateMachineLogEntryCount");
    c.inc(5);
    c.dec();
    assertEquals(4, c.getCount());
    assertEquals(4.0, a.get("ratis.log_worker.stateMachineLogEntryCount").gauge().value());

    AtomicInteger pending = new AtomicInteger(3);
    r.gauge("numPending", () -> pending::get);
    r.gauge("notANumber", () -> () -> "leader");
    pending.set(9);
    assertEquals(9.0, a.get("ratis.log_worker.numPending").gauge().value());
    AtomicInteger newer = new AtomicInteger(12);
    r.gauge("numPending", () -> newer::get); // registered again with a new source: it wins
    assertEquals(12.0, a.get("ratis.log_worker.numPending").gauge().value());
    assertTrue(Double.isNaN(a.get("ratis.log_worker.notANumber").gauge().value()));
  }

  @Test
  void metersGoToTheBrokerOfTheirPeerAndUnknownPrefixesToAll() {
    RatisMeters.bind("71", a);
    RatisMeters.bind("72", b);
    meters.create(info("72@group-CD")).counter("x").inc();
    assertNull(a.find("ratis.log_worker.x").gauge());
    assertNotNull(b.find("ratis.log_worker.x").gauge());

    meters.create(info("72")).counter("y").inc(); // a server-level registry: the prefix is the peer
    assertNull(a.find("ratis.log_worker.y").gauge());
    assertNotNull(b.find("ratis.log_worker.y").gauge());

    meters.create(info("GrpcServerProtocolService_9292")).counter("z").inc();
    assertNotNull(a.find("ratis.log_worker.z").gauge());
    assertNotNull(b.find("ratis.log_worker.z").gauge());
  }

  @Test
  void aSilencedPeersMetersGoNowhere() {
    RatisMeters.bind("71", a);
    RatisMeters.silence("72");
    RatisMetricRegistry r = meters.create(info("72@group-MN"));
    r.counter("c").inc();
    assertEquals(1, r.counter("c").getCount()); // still counts, for Ratis's own use
    assertNull(a.find("ratis.log_worker.c").gauge());
    RatisMeters.unbind("72");
  }

  @Test
  void removingARegistryOrAMetricRemovesItsMeters() {
    RatisMeters.bind("71", a);
    MetricRegistryInfo i = info("71@group-EF");
    RatisMetricRegistry r = meters.create(i);
    r.timer("t").time().stop();
    r.counter("c").inc();
    assertTrue(r.remove("t"));
    assertNull(a.find("ratis.log_worker.t").timer());
    assertFalse(r.remove("t"));
    assertTrue(meters.get(i).isPresent());
    assertTrue(meters.remove(i));
    assertNull(a.find("ratis.log_worker.c").gauge());
    assertTrue(meters.get(i).isEmpty());
    assertFalse(meters.remove(i));
  }

  @Test
  void aClashingNameIsLeftOutWithoutFailingRatis() {
    RatisMeters.bind("71", a);
    Gauge.builder("ratis.log_worker.clash", () -> 1).tag("member", "71@group-GH").register(a);
    RatisMetricRegistry r = meters.create(info("71@group-GH"));
    // A timer where Micrometer already has a gauge of that name: refused by Micrometer, kept working.
    assertTrue(r.timer("clash").time().stop() >= 0);
    assertEquals(1.0, a.get("ratis.log_worker.clash").gauge().value());
  }

  @Test
  void reporterRegistrationsSeeRegistriesComeAndGo() {
    AtomicInteger added = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    java.util.function.Consumer<RatisMetricRegistry> add = x -> added.incrementAndGet();
    java.util.function.Consumer<RatisMetricRegistry> stop = x -> removed.incrementAndGet();
    meters.addReporterRegistration(add, stop);
    MetricRegistryInfo i = info("73@group-IJ");
    meters.create(i);
    meters.create(i); // the same registry again: no second notification
    meters.remove(i);
    meters.removeReporterRegistration(add, stop);
    meters.create(info("73@group-KL"));
    assertEquals(1, added.get());
    assertEquals(1, removed.get());
  }
}
