package dev.runnel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Runtime changes to the logback setup of logback.xml. */
final class Logging {

  private Logging() {}

  /** --verbose: debug logs from Runnel's own code. */
  static void enableDebug() {
    final org.slf4j.Logger logger = LoggerFactory.getLogger("dev.runnel");
    if (logger instanceof Logger) {
      ((Logger) logger).setLevel(Level.DEBUG);
    }
  }
}
