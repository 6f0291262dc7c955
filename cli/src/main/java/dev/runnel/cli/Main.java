package dev.runnel.cli;

import dev.runnel.cli.bench.BenchCommand;
import dev.runnel.cli.client.ClusterCommand;
import dev.runnel.cli.client.ConsumeCommand;
import dev.runnel.cli.client.ProduceCommand;
import dev.runnel.cli.client.TopicsCommand;
import dev.runnel.cli.dev.ClusterProbe;
import dev.runnel.cli.dev.DevCommand;
import dev.runnel.cli.server.BrokerLauncher;
import dev.runnel.cli.server.ServerCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code runnel} command. Subcommands are picocli commands listed in {@code subcommands}
 * below; adding one is one entry there. A subcommand reaches shared context (environment,
 * output, the broker launcher) through a {@code @ParentCommand Main main} field.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} runtime failure,
 * {@value #EXIT_USAGE} bad arguments or configuration. Errors are one {@code runnel: error: ...}
 * line on stderr; stack traces only with {@code --verbose}.
 */
@Command(
    name = "runnel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runnel: a Raft-replicated event streaming platform.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {"", "Run 'runnel COMMAND --help' for a command's options."},
    subcommands = {
        ServerCommand.class,
        DevCommand.class,
        TopicsCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class,
        ClusterCommand.class,
        BenchCommand.class,
    })
public final class Main implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @Spec
  private CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Show debug logs and stack traces of errors.")
  private boolean verbose;

  private final Map<String, String> environment;
  private final BrokerLauncher brokerLauncher;
  private final String childMainClass;
  private final ClusterProbe clusterProbe;

  /** The command as run from the shell: real environment, real brokers. */
  public Main() {
    this(System.getenv(), BrokerLauncher.REAL, Main.class.getName(), ClusterProbe.ADMIN);
  }

  /**
   * For tests: a fixed environment, a chosen way to start in-process brokers, the main class
   * that {@code dev} runs in child JVMs (given {@code server --set key=value ...} arguments), and
   * how {@code dev} tells that its brokers have formed a cluster.
   */
  public Main(Map<String, String> environment, BrokerLauncher brokerLauncher,
      String childMainClass, ClusterProbe clusterProbe) {
    this.environment = Map.copyOf(environment);
    this.brokerLauncher = brokerLauncher;
    this.childMainClass = childMainClass;
    this.clusterProbe = clusterProbe;
  }

  /** Entry point of bin/runnel. */
  public static void main(String[] args) {
    final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(commandLine(new Main(), out, err).execute(args));
  }

  /** A configured command line: error handling, exit codes and the given output streams. */
  public static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err) {
    final CommandLine commandLine = new CommandLine(main);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(ErrorReporter::handleParameterException);
    commandLine.setExecutionExceptionHandler(ErrorReporter::handleExecutionException);
    commandLine.setExecutionStrategy(parseResult -> {
      if (ErrorReporter.isVerbose(parseResult)) {
        Logging.enableDebug();
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    return commandLine;
  }

  /** With no command, print help. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return EXIT_OK;
  }

  /** The environment subcommands read {@code RUNNEL_*} variables from. */
  public Map<String, String> environment() {
    return environment;
  }

  /** How {@code server} and {@code dev} start brokers. */
  public BrokerLauncher brokerLauncher() {
    return brokerLauncher;
  }

  /** The main class {@code dev} runs in child JVMs; {@link Main} except in tests. */
  public String childMainClass() {
    return childMainClass;
  }

  /** How {@code dev} tells that its brokers have formed a cluster. */
  public ClusterProbe clusterProbe() {
    return clusterProbe;
  }

  /** Standard output of this invocation. */
  public PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error of this invocation. */
  public PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Whether {@code --verbose} was given anywhere on the command line. */
  public boolean verbose() {
    return ErrorReporter.isVerbose(spec.commandLine().getParseResult());
  }
}
