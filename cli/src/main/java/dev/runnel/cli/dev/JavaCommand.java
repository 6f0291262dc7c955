package dev.runnel.cli.dev;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM running the same Java, classpath and JVM options. */
final class JavaCommand {

  private JavaCommand() {}

  /** {@code java <this JVM's memory/GC/-D options> -cp <classpath> mainClass args...}. */
  static List<String> of(String mainClass, List<String> args) {
    final List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(inheritableOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** The java binary running this JVM. */
  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Keeps heap, GC and system-property options; drops agents and debuggers, which would clash
   * (one debugger port) or distort every child.
   */
  static List<String> inheritableOptions(List<String> options) {
    final List<String> kept = new ArrayList<>();
    for (String option : options) {
      final boolean debugger = option.startsWith("-Xdebug") || option.startsWith("-Xrunjdwp");
      if ((option.startsWith("-X") || option.startsWith("-D")) && !debugger) {
        kept.add(option);
      }
    }
    return kept;
  }
}
