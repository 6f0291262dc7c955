package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.testkit.LocalCluster;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterProbe#ADMIN} against a real broker. */
class ClusterProbeTest {

  @TempDir Path dir;

  @Test
  void aRegisteredBrokerSeesItselfButNotBrokersThatDoNotExist() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir)) {
      final String address = cluster.bootstrap();
      LocalCluster.waitFor(Duration.ofSeconds(60), "the broker to see itself alive",
          () -> ClusterProbe.ADMIN.seesAll(address, 1));
      assertFalse(ClusterProbe.ADMIN.seesAll(address, 2));
    }
  }

  @Test
  void nothingListeningIsNotYetAndReturnsPromptly() throws Exception {
    final int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    final long start = System.nanoTime();
    assertFalse(ClusterProbe.ADMIN.seesAll("localhost:" + port, 1));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(),
        "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
