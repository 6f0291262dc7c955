package dev.runnel.cli.dev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds planned ports that something else already listens on, before any broker starts. */
final class PortCheck {

  private PortCheck() {}

  /** One message per port in use, naming the port, its broker and its role; empty when free. */
  static List<String> portsInUse(DevClusterPlan plan) {
    final List<String> problems = new ArrayList<>();
    for (DevClusterPlan.DevBroker broker : plan.brokers()) {
      check(broker.clientPort(), "client", broker, problems);
      check(broker.raftPort(), "raft", broker, problems);
      check(broker.httpPort(), "http", broker, problems);
    }
    return problems;
  }

  /** Whether a TCP port can be bound on all interfaces, as a broker with defaults would. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void check(int port, String role, DevClusterPlan.DevBroker broker,
      List<String> problems) {
    if (!isFree(port)) {
      problems.add("port " + port + " (" + role + " port of " + broker.name()
          + ") is already in use");
    }
  }
}
