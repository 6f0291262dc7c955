package dev.runnel.cli.server;

import dev.runnel.cli.GracefulShutdown;
import dev.runnel.server.config.ServerConfig;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one broker in this JVM until it terminates or the process is told to stop. */
public final class BrokerRunner {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerRunner.class);

  private BrokerRunner() {}

  /**
   * Starts a broker, calls {@code onStarted} with its client address, and blocks until the broker
   * terminates; Ctrl-C or SIGTERM close it cleanly.
   *
   * @throws IOException when the broker cannot start
   */
  public static void run(ServerConfig config, BrokerLauncher launcher, Consumer<String> onStarted)
      throws IOException, InterruptedException {
    final BrokerLauncher.RunningBroker broker = launcher.start(config);
    final GracefulShutdown shutdown = GracefulShutdown.install("broker", () -> {
      LOG.info("Stopping Runnel broker {}", config.brokerId());
      broker.close();
      LOG.info("Runnel broker {} stopped", config.brokerId());
    });
    try {
      final String address = broker.clientAddress();
      LOG.info("Runnel broker {} listening on {}", config.brokerId(), address);
      onStarted.accept(address);
      broker.awaitTermination();
    } finally {
      shutdown.stopNow();
    }
  }
}
