package dev.runnel.cli;

import dev.runnel.server.config.ConfigException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns exceptions into one-line messages and exit codes; the one place the CLI does so. */
final class ErrorReporter {

  private static final String PREFIX = "runnel: error: ";
  /** Named limit on how many nested causes a message repeats. */
  private static final int MAX_CAUSES = 5;

  private ErrorReporter() {}

  /** Bad arguments: message, suggestions and a pointer to --help; never a stack trace. */
  static int handleParameterException(ParameterException e, String[] args) {
    final CommandLine commandLine = e.getCommandLine();
    final PrintWriter err = commandLine.getErr();
    err.println(PREFIX + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return Main.EXIT_USAGE;
  }

  /** A failure while a command ran. */
  static int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    final PrintWriter err = commandLine.getErr();
    err.println(PREFIX + message(e));
    if (isVerbose(parseResult)) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  /** The exit code for an exception. */
  static int exitCode(Throwable e) {
    if (e instanceof CliException) {
      return ((CliException) e).exitCode();
    }
    if (e instanceof ConfigException || e instanceof ParameterException) {
      return Main.EXIT_USAGE;
    }
    return Main.EXIT_FAILURE;
  }

  /** Whether --verbose was matched on the command or any of its subcommands. */
  static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exception's message followed by those of its causes that add something, e.g. "cannot
   * start broker: Address already in use".
   */
  static String message(Throwable e) {
    final StringBuilder text = new StringBuilder(describe(e));
    final Set<Throwable> seen = new HashSet<>();
    seen.add(e);
    Throwable cause = e.getCause();
    for (int i = 0; i < MAX_CAUSES && cause != null && seen.add(cause); i++) {
      final String part = describe(cause);
      if (!text.toString().contains(part)) {
        text.append(": ").append(part);
      }
      cause = cause.getCause();
    }
    return text.toString();
  }

  private static String describe(Throwable e) {
    final String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message;
  }
}
