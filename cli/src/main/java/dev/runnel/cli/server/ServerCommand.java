package dev.runnel.cli.server;

import dev.runnel.cli.Main;
import dev.runnel.server.config.ConfigDocs;
import dev.runnel.server.config.ConfigKey;
import dev.runnel.server.config.ServerConfig;
import dev.runnel.server.config.ServerConfigKeys;
import dev.runnel.server.config.ServerConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code runnel server}: one broker in the foreground. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    versionProvider = dev.runnel.cli.VersionProvider.class,
    description = {
        "Run one Runnel broker in the foreground; Ctrl-C or SIGTERM stop it cleanly.",
        "",
        "Settings come from defaults < --config FILE < RUNNEL_<KEY> environment variables "
            + "< --set flags. All keys: docs/configuration.md or --describe-config."},
    sortOptions = false)
public final class ServerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

  @ParentCommand
  private Main main;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Java properties file with broker settings.")
  private Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set one key (repeatable); overrides the file and the environment.")
  private Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--print-config",
      description = "Validate, print the effective settings and their sources, and exit.")
  private boolean printConfig;

  @Option(names = "--describe-config",
      description = "Print the reference of every key (Markdown) and exit.")
  private boolean describeConfig;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = main.out();
    if (describeConfig) {
      out.print(ConfigDocs.markdown());
      out.flush();
      return Main.EXIT_OK;
    }
    final ServerConfigLoader loader = new ServerConfigLoader()
        .env(main.environment()).setAll(settings);
    if (configFile != null) {
      loader.file(configFile);
    }
    final ServerConfig config = loader.load();
    loader.warnings().forEach(LOG::warn);
    if (printConfig) {
      printConfig(config, out);
      return Main.EXIT_OK;
    }
    BrokerRunner.run(config, main.brokerLauncher(), address -> { });
    return Main.EXIT_OK;
  }

  /** Prints a valid properties file; a comment names the source of each non-default value. */
  private static void printConfig(ServerConfig config, PrintWriter out) {
    final Map<String, String> text = config.asText();
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      final String source = config.sourceOf(key);
      if (!"default".equals(source)) {
        out.println("# from " + source);
      }
      out.println(key.name() + "=" + text.get(key.name()));
    }
    out.flush();
  }
}
