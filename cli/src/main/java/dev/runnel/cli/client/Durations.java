package dev.runnel.cli.client;

import dev.runnel.cli.CliException;
import dev.runnel.cli.Main;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  static Duration parse(String option, String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new CliException(option + " expects a duration like 500ms, 2s, 1m or 1h, got '" + text + "'",
          Main.EXIT_USAGE, null);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
