package dev.runnel.cli.server;

import dev.runnel.server.Broker;
import dev.runnel.server.config.ServerConfig;
import java.io.IOException;

/** Starts a broker; tests substitute one that fails or finishes on demand. */
@FunctionalInterface
public interface BrokerLauncher {

  /** Starts {@link Broker}. */
  BrokerLauncher REAL = config -> {
    final Broker broker = Broker.start(config);
    return new RunningBroker() {
      @Override
      public String clientAddress() {
        return broker.clientAddress();
      }

      @Override
      public void awaitTermination() throws InterruptedException {
        broker.awaitTermination();
      }

      @Override
      public void close() {
        broker.close();
      }
    };
  };

  /** Starts a broker; returns once its ports are bound. */
  RunningBroker start(ServerConfig config) throws IOException;

  /** The part of {@link Broker} the CLI uses. */
  interface RunningBroker extends AutoCloseable {
    String clientAddress();

    void awaitTermination() throws InterruptedException;

    /** Stops gracefully; safe to call more than once. */
    @Override
    void close();
  }
}
