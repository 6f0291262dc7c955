package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  @Test
  void namesEachPortInUseWithItsBrokerAndRole() throws Exception {
    final int base = TestPorts.freeBasePort(2);
    final DevClusterPlan plan = DevClusterPlan.of(2, Path.of("d"), base);
    assertEquals(List.of(), PortCheck.portsInUse(plan));
    try (ServerSocket raft1 = new ServerSocket()) {
      raft1.bind(new InetSocketAddress("127.0.0.1", base + 101));
      assertEquals(List.of("port " + (base + 101) + " (raft port of broker-1) is already in use"),
          PortCheck.portsInUse(plan));
    }
  }
}
