package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Each broker in its own network namespace with its own address, all joined by a bridge that the
 * test process is also on. A link between two brokers is cut with a blackhole route in each of
 * their namespaces, so partitions are real: packets vanish, TCP connections time out.
 *
 * <p>Names carry this process's pid, so concurrent runs do not collide and namespaces left by a
 * killed run are recognised and removed ({@link #removeStale}).
 */
public final class NamespaceNet implements Net {
  static final String PREFIX = "rnc";
  private final int brokers;
  private final String tag;
  private final int subnet;
  private final Set<String> cuts = new LinkedHashSet<>();
  private final Set<Integer> shaped = new LinkedHashSet<>();
  private final Set<Integer> steered = new LinkedHashSet<>();
  private final List<DelayProxy> proxies = new ArrayList<>();
  private final boolean nft = Shell.available(List.of("nft", "--version"));

  /** Whether this process may create namespaces. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name"))
        && Shell.available(List.of("ip", "netns", "list"));
  }

  public NamespaceNet(int brokers) throws IOException {
    this.brokers = brokers;
    long pid = ProcessHandle.current().pid();
    this.tag = Long.toString(pid % 100_000);
    this.subnet = (int) (pid % 200) + 20;
    removeStale();
    try {
      Shell.run("ip", "link", "add", bridge(), "type", "bridge");
      Shell.run("ip", "addr", "add", bridgeAddress() + "/24", "dev", bridge());
      Shell.run("ip", "link", "set", bridge(), "up");
      for (int i = 0; i < brokers; i++) {
        String ns = ns(i);
        Shell.run("ip", "netns", "add", ns);
        Shell.quietly("ip", "link", "del", veth(i, 'a')); // left by an earlier run in this process
        Shell.run("ip", "link", "add", veth(i, 'a'), "type", "veth", "peer", "name", veth(i, 'b'));
        Shell.run("ip", "link", "set", veth(i, 'b'), "netns", ns);
        Shell.run("ip", "link", "set", veth(i, 'a'), "master", bridge());
        Shell.run("ip", "link", "set", veth(i, 'a'), "up");
        Shell.run("ip", "netns", "exec", ns, "ip", "addr", "add", host(i) + "/24", "dev", veth(i, 'b'));
        Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", veth(i, 'b'), "up");
        Shell.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Removes namespaces and bridges of earlier runs whose process is gone. */
  static void removeStale() throws IOException {
    for (String line : Shell.run("ip", "netns", "list").split("\n")) {
      String name = line.split(" ")[0].strip();
      if (name.startsWith(PREFIX) && name.contains("x")) {
        String pid = name.substring(PREFIX.length(), name.indexOf('x'));
        if (!isAlive(pid)) {
          Shell.quietly("ip", "netns", "del", name);
          Shell.quietly("ip", "link", "del", "rnbr" + pid);
        }
      }
    }
  }

  private static boolean isAlive(String pidTail) {
    return ProcessHandle.allProcesses().anyMatch(p -> Long.toString(p.pid() % 100_000).equals(pidTail));
  }

  private String bridge() {
    return "rnbr" + tag;
  }

  private String ns(int i) {
    return PREFIX + tag + "x" + i;
  }

  private String veth(int i, char side) {
    return "rnv" + tag + "x" + i + side;
  }

  /** The test process's own address on the bridge: where delay proxies listen. */
  private String bridgeAddress() {
    return "10.201." + subnet + ".1";
  }

  @Override
  public String host(int broker) {
    return "10.201." + subnet + "." + (broker + 10);
  }

  @Override
  public int[] ports(int broker) {
    return new int[] {9292, 9293, 9294};
  }

  @Override
  public List<String> launchPrefix(int broker) {
    return List.of("ip", "netns", "exec", ns(broker));
  }

  @Override
  public boolean canPartition() {
    return true;
  }

  @Override
  public synchronized void cut(int a, int b) throws IOException {
    if (a == b || !cuts.add(Math.min(a, b) + "-" + Math.max(a, b))) {
      return;
    }
    Shell.run("ip", "netns", "exec", ns(a), "ip", "route", "add", "blackhole", host(b) + "/32");
    Shell.run("ip", "netns", "exec", ns(b), "ip", "route", "add", "blackhole", host(a) + "/32");
  }

  @Override
  public boolean canShape() {
    return nft;
  }

  @Override
  public synchronized void lossy(int b, int percent) throws IOException {
    rule(b, "numgen random mod 100 < " + percent + " drop");
  }

  @Override
  public synchronized void throttle(int b, int kbytesPerSecond) throws IOException {
    rule(b, "limit rate over " + kbytesPerSecond + " kbytes/second drop");
  }

  /**
   * Adds {@code millis} each way to every Raft connection between broker b and the others. In each
   * sender's namespace a DNAT rule steers new connections to the receiver's Raft port into a
   * {@link DelayProxy} on the bridge, and a reset rule ends the connections already open, so the
   * brokers reconnect through the proxy at once.
   */
  @Override
  public synchronized void delay(int b, int millis) throws IOException {
    for (int o = 0; o < brokers; o++) {
      if (o != b) {
        steer(o, b, millis);
        steer(b, o, millis);
      }
    }
  }

  /** Sends broker from's new connections to broker to's Raft port through a delay proxy. */
  private void steer(int from, int to, int millis) throws IOException {
    int raftPort = ports(to)[1];
    DelayProxy proxy = new DelayProxy(new InetSocketAddress(bridgeAddress(), 0),
        new InetSocketAddress(host(to), raftPort), millis, System::nanoTime);
    proxies.add(proxy);
    String ns = ns(from);
    if (steered.add(from)) {
      Shell.run("ip", "netns", "exec", ns, "nft", "add", "table", "ip", "chaosnat");
      Shell.run("ip", "netns", "exec", ns, "nft", "add", "chain", "ip", "chaosnat", "steer",
          "{ type nat hook output priority -100; }");
      Shell.run("ip", "netns", "exec", ns, "nft", "add", "chain", "ip", "chaosnat", "drop_old",
          "{ type filter hook output priority 0; }");
    }
    Shell.run("ip", "netns", "exec", ns, "nft", "add", "rule", "ip", "chaosnat", "steer", "ip", "daddr",
        host(to), "tcp", "dport", Integer.toString(raftPort), "dnat", "to",
        bridgeAddress() + ":" + proxy.port());
    // Only connections opened before the rule still carry the real address after the NAT hook.
    Shell.run("ip", "netns", "exec", ns, "nft", "add", "rule", "ip", "chaosnat", "drop_old", "ip", "daddr",
        host(to), "tcp", "dport", Integer.toString(raftPort), "reject", "with", "tcp", "reset");
  }

  /** An nftables input rule in broker b's namespace, for packets from every other broker. */
  private void rule(int b, String action) throws IOException {
    if (shaped.add(b)) {
      Shell.run("ip", "netns", "exec", ns(b), "nft", "add", "table", "inet", "chaos");
      Shell.run("ip", "netns", "exec", ns(b), "nft", "add", "chain", "inet", "chaos", "input",
          "{ type filter hook input priority 0; }");
    }
    for (int o = 0; o < brokers; o++) {
      if (o != b) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns(b), "nft", "add", "rule",
            "inet", "chaos", "input", "ip", "saddr", host(o)));
        cmd.addAll(List.of(action.split(" ")));
        Shell.run(cmd.toArray(String[]::new));
      }
    }
  }

  @Override
  public synchronized void healAll() throws IOException {
    for (int b : shaped) {
      Shell.quietly("ip", "netns", "exec", ns(b), "nft", "delete", "table", "inet", "chaos");
    }
    shaped.clear();
    for (int b : steered) {
      Shell.quietly("ip", "netns", "exec", ns(b), "nft", "delete", "table", "ip", "chaosnat");
    }
    steered.clear();
    // Dropping the proxied connections makes the brokers reconnect directly.
    proxies.forEach(DelayProxy::close);
    proxies.clear();
    for (String c : cuts) {
      int a = Integer.parseInt(c.split("-")[0]);
      int b = Integer.parseInt(c.split("-")[1]);
      Shell.quietly("ip", "netns", "exec", ns(a), "ip", "route", "del", "blackhole", host(b) + "/32");
      Shell.quietly("ip", "netns", "exec", ns(b), "ip", "route", "del", "blackhole", host(a) + "/32");
    }
    cuts.clear();
  }

  @Override
  public synchronized void close() {
    proxies.forEach(DelayProxy::close);
    proxies.clear();
    for (int i = 0; i < brokers; i++) {
      // The veth pair first, by name: deleting a namespace frees the devices in it later, in the
      // kernel's background cleanup, and the next run in this process reuses the names at once
      // (seen in CI: "RTNETLINK answers: File exists" for the next scenario's veth).
      Shell.quietly("ip", "link", "del", veth(i, 'a'));
      Shell.quietly("ip", "netns", "del", ns(i));
    }
    Shell.quietly("ip", "link", "del", bridge());
  }
}
