package dev.runnel.cli.dev;

import dev.runnel.cli.CliException;
import dev.runnel.cli.GracefulShutdown;
import dev.runnel.cli.Main;
import dev.runnel.cli.server.BrokerRunner;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.config.ServerConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel dev}: a local cluster in the foreground. One broker runs in this JVM; more run
 * as child JVMs whose output is prefixed with {@code [broker-i]}.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    versionProvider = dev.runnel.cli.VersionProvider.class,
    description = {
        "Run a local development cluster in the foreground; Ctrl-C stops it.",
        "",
        "Broker i uses ports BASE+100*i (client), +1 (raft), +2 (http) and DIR/broker-i.",
        "The first min(N,3) brokers form the metadata quorum and set the default replication "
            + "factor."},
    sortOptions = false)
public final class DevCommand implements Callable<Integer> {

  /** How long stopping children may take before they are killed. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  @ParentCommand
  private Main main;

  @Spec
  private CommandSpec spec;

  @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
      description = "Number of brokers, 1..9 (default: ${DEFAULT-VALUE}).")
  private int brokers;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "Data root; broker i uses DIR/broker-i (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(names = "--base-port", paramLabel = "P", defaultValue = "9292",
      description = "Client port of broker 0 (default: ${DEFAULT-VALUE}).")
  private int basePort;

  @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long each broker may take to accept connections, 1..3600 "
          + "(default: ${DEFAULT-VALUE}).")
  private int startupTimeoutSeconds;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Extra broker setting for every broker (repeatable).")
  private Map<String, String> extraSettings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    final DevClusterPlan plan = plan();
    // Validate every broker's configuration here, so a mistake is reported once and cleanly
    // instead of by N children.
    final List<ServerConfig> configs = new ArrayList<>();
    for (DevClusterPlan.DevBroker broker : plan.brokers()) {
      configs.add(configLoader(broker).load());
    }
    final List<String> busy = PortCheck.portsInUse(plan);
    if (!busy.isEmpty()) {
      throw new CliException(String.join("; ", busy)
          + ". Stop what uses it or choose another --base-port.");
    }
    final PrintWriter out = main.out();
    if (brokers == 1) {
      BrokerRunner.run(configs.get(0), main.brokerLauncher(), address -> {
        awaitRegistered(plan.brokers().get(0).name(), address);
        out.println("Runnel is up. Bootstrap address: " + plan.bootstrap());
        out.flush();
      });
      return Main.EXIT_OK;
    }
    return runChildren(plan, out);
  }

  /** A single broker is up once it has registered: until then it refuses to create topics. */
  private void awaitRegistered(String name, String address) {
    final long deadline = System.nanoTime() + Duration.ofSeconds(startupTimeoutSeconds).toNanos();
    while (!main.clusterProbe().seesAll(address, 1)) {
      if (System.nanoTime() > deadline) {
        throw new CliException(name + " (" + address + ") accepted connections but did not "
            + "register within " + startupTimeoutSeconds + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for " + name + " to register");
      }
    }
  }

  private DevClusterPlan plan() {
    if (startupTimeoutSeconds < 1 || startupTimeoutSeconds > 3600) {
      throw new ParameterException(spec.commandLine(),
          "--startup-timeout must be 1..3600 seconds, not " + startupTimeoutSeconds);
    }
    try {
      return DevClusterPlan.of(brokers, dataDir, basePort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private ServerConfigLoader configLoader(DevClusterPlan.DevBroker broker) {
    return new ServerConfigLoader().env(main.environment())
        .setAll(broker.settings()).setAll(extraSettings);
  }

  private int runChildren(DevClusterPlan plan, PrintWriter out) throws InterruptedException {
    final PrintWriter err = main.err();
    final Consumer<String> sink = line -> {
      synchronized (err) {
        err.println(line);
        err.flush();
      }
    };
    final DevSupervisor supervisor = new DevSupervisor(
        sink, Duration.ofSeconds(startupTimeoutSeconds), STOP_TIMEOUT);
    final GracefulShutdown shutdown = GracefulShutdown.install("dev", () -> {
      sink.accept("Stopping " + plan.brokers().size() + " brokers...");
      supervisor.stopAll();
      sink.accept("All brokers stopped.");
    });
    try {
      sink.accept("Starting " + plan.brokers().size() + " brokers, data in "
          + plan.brokers().get(0).dataDir().getParent());
      if (!supervisor.start(childSpecs(plan))) {
        return Main.EXIT_OK;
      }
      out.println("Runnel is up. Bootstrap address: " + plan.bootstrap());
      out.flush();
      final String exit = supervisor.awaitFirstExit();
      if (exit == null) {
        return Main.EXIT_OK;
      }
      throw new CliException(exit + "; the other brokers were stopped");
    } finally {
      shutdown.stopNow();
    }
  }

  private List<DevSupervisor.ChildSpec> childSpecs(DevClusterPlan plan) {
    final List<DevSupervisor.ChildSpec> specs = new ArrayList<>();
    for (DevClusterPlan.DevBroker broker : plan.brokers()) {
      final List<String> args = new ArrayList<>();
      if (main.verbose()) {
        args.add("--verbose");
      }
      args.add("server");
      final Map<String, String> settings = new LinkedHashMap<>(broker.settings());
      settings.putAll(extraSettings);
      settings.forEach((key, value) -> {
        args.add("--set");
        args.add(key + "=" + value);
      });
      final String address = "localhost:" + broker.clientPort();
      final int count = plan.brokers().size();
      specs.add(new DevSupervisor.ChildSpec(broker.name(),
          JavaCommand.of(main.childMainClass(), args), broker.clientPort(),
          () -> main.clusterProbe().seesAll(address, count)));
    }
    return specs;
  }
}
