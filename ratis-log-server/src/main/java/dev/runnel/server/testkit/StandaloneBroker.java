package dev.runnel.server.testkit;

import dev.runnel.server.Broker;
import dev.runnel.server.config.ServerConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one broker in its own JVM from {@code key=value} arguments, for tests that need real
 * processes (kill -9, pause). Prints {@code READY <client address>} once started. Operators use
 * {@code runnel server} instead.
 */
public final class StandaloneBroker {
  private StandaloneBroker() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        System.err.println("expected key=value, got '" + a + "'");
        System.exit(2);
      }
      settings.put(a.substring(0, eq), a.substring(eq + 1));
    }
    Broker b = Broker.start(ServerConfig.of(settings));
    Runtime.getRuntime().addShutdownHook(new Thread(b::close));
    System.out.println("READY " + b.clientAddress());
    System.out.flush();
    b.awaitTermination();
  }
}
