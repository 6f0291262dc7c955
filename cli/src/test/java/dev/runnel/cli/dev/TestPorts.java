package dev.runnel.cli.dev;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Finds base ports whose whole dev-cluster port range is free right now. */
final class TestPorts {

  private static final int ATTEMPTS = 100;

  private TestPorts() {}

  static int freeBasePort(int brokers) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      final int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (PortCheck.portsInUse(DevClusterPlan.of(brokers, Path.of("unused"), base)).isEmpty()) {
        return base;
      }
    }
    throw new AssertionError("no free port range found in " + ATTEMPTS + " attempts");
  }
}
