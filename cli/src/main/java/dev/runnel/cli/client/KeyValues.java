package dev.runnel.cli.client;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code key=value} options, naming the bad one. */
final class KeyValues {
  private KeyValues() {}

  static Map<String, String> parse(String option, List<String> pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : pairs == null ? List.<String>of() : pairs) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CliException(option + " expects key=value, got '" + p + "'", Main.EXIT_USAGE, null);
      }
      out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return out;
  }
}
