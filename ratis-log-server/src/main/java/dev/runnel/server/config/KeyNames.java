package dev.runnel.server.config;

import java.util.Locale;

/** Helps operators with misspelt keys: "did you mean ...?". */
final class KeyNames {

  /** Suggestions further than this many edits away would be guesses, not help. */
  private static final int MAX_SUGGESTION_DISTANCE = 3;

  private KeyNames() {}

  /** The error line for a key that is not defined. */
  static String unknownKeyError(String key, String source) {
    final String suggestion = closest(key);
    return ConfigKey.printable(key) + ": unknown configuration key, from " + source
        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)");
  }

  /** The defined key closest to {@code key}, or {@code null} when none is close. */
  static String closest(String key) {
    final String normalized = key.trim().toLowerCase(Locale.ROOT).replace('_', '.')
        .replace('-', '.');
    String best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (ConfigKey<?> candidate : ServerConfigKeys.all()) {
      final int distance = distance(normalized, candidate.name());
      if (distance < bestDistance) {
        best = candidate.name();
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance; both strings are short key names. */
  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > MAX_SUGGESTION_DISTANCE || a.length() > 200) {
      return Integer.MAX_VALUE;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      final int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
