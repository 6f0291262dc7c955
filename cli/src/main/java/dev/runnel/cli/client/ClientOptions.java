package dev.runnel.cli.client;

import dev.runnel.cli.Main;
import picocli.CommandLine.Option;

/** {@code --bootstrap}, shared by every command that talks to a cluster. */
public final class ClientOptions {
  /** The default address: what {@code runnel dev} prints. */
  public static final String DEFAULT_BOOTSTRAP = "localhost:9292";

  @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
      description = "Brokers to contact first (default: $RUNNEL_BOOTSTRAP or " + DEFAULT_BOOTSTRAP + ").")
  private String bootstrap;

  /** The flag, else RUNNEL_BOOTSTRAP, else the default. */
  public String bootstrap(Main main) {
    if (bootstrap != null && !bootstrap.isBlank()) {
      return bootstrap;
    }
    String env = main.environment().get("RUNNEL_BOOTSTRAP");
    return env != null && !env.isBlank() ? env : DEFAULT_BOOTSTRAP;
  }
}
