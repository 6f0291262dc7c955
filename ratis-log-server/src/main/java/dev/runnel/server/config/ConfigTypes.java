package dev.runnel.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The value types used by Runnel configuration keys. */
public final class ConfigTypes {

  /** A 32-bit integer, written in decimal. */
  public static final ConfigType<Integer> INT = new Simple<>("int") {
    @Override
    public Integer parse(String text) {
      final long value = parseLong(text, "is not an integer");
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("is not a 32-bit integer");
      }
      return (int) value;
    }
  };

  /** A 64-bit integer, written in decimal. */
  public static final ConfigType<Long> LONG = new Simple<>("long") {
    @Override
    public Long parse(String text) {
      return parseLong(text, "is not an integer");
    }
  };

  /** A byte count that fits an int; accepts a KiB, MiB or GiB suffix ("4MiB"). */
  public static final ConfigType<Integer> BYTES_INT = new Simple<>("bytes") {
    @Override
    public Integer parse(String text) {
      final long value = parseBytes(text);
      if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
        throw new IllegalArgumentException("is too large (at most 2 GiB - 1)");
      }
      return (int) value;
    }
  };

  /** A byte count; accepts a KiB, MiB or GiB suffix ("64MiB"). */
  public static final ConfigType<Long> BYTES_LONG = new Simple<>("bytes") {
    @Override
    public Long parse(String text) {
      return parseBytes(text);
    }
  };

  /** A duration written as whole milliseconds. */
  public static final ConfigType<Duration> MILLIS = new ConfigType<>() {
    @Override
    public String name() {
      return "ms";
    }

    @Override
    public Duration parse(String text) {
      return Duration.ofMillis(parseLong(text, "is not a whole number of milliseconds"));
    }

    @Override
    public String format(Duration value) {
      return Long.toString(value.toMillis());
    }
  };

  /** true or false (any case); nothing else, so that a typo is not read as false. */
  public static final ConfigType<Boolean> BOOLEAN = new Simple<>("boolean") {
    @Override
    public Boolean parse(String text) {
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("is not true or false");
    }
  };

  /** Free text (already trimmed). */
  public static final ConfigType<String> STRING = new Simple<>("string") {
    @Override
    public String parse(String text) {
      return text;
    }
  };

  /** A file system path, relative paths resolved against the working directory when used. */
  public static final ConfigType<Path> PATH = new ConfigType<>() {
    @Override
    public String name() {
      return "path";
    }

    @Override
    public Path parse(String text) {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("is empty");
      }
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("is not a valid path (" + e.getReason() + ")");
      }
    }

    @Override
    public String format(Path value) {
      return value.toString();
    }
  };

  /** Comma-separated {@code id@host:port} entries (see {@link QuorumMember#parseList}). */
  public static final ConfigType<List<QuorumMember>> QUORUM = new ConfigType<>() {
    @Override
    public String name() {
      return "list";
    }

    @Override
    public List<QuorumMember> parse(String text) {
      return QuorumMember.parseList(text);
    }

    @Override
    public String format(List<QuorumMember> value) {
      return QuorumMember.formatList(value);
    }
  };

  private static final long KIB = 1024L;

  private ConfigTypes() {}

  static long parseLong(String text, String problem) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Parses "123", "64KiB", "4 MiB" or "1GiB" (suffixes are binary and case-insensitive). */
  static long parseBytes(String text) {
    final String lower = text.toLowerCase(Locale.ROOT);
    long unit = 1;
    String digits = lower;
    if (lower.endsWith("kib")) {
      unit = KIB;
    } else if (lower.endsWith("mib")) {
      unit = KIB * KIB;
    } else if (lower.endsWith("gib")) {
      unit = KIB * KIB * KIB;
    }
    if (unit != 1) {
      digits = lower.substring(0, lower.length() - 3).trim();
    }
    final String problem = "is not a byte count (an integer, optionally with KiB, MiB or GiB)";
    final long count = parseLong(digits, problem);
    try {
      return Math.multiplyExact(count, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("is too large");
    }
  }

  /** Human-readable byte count for documentation: 4194304 becomes "4 MiB". */
  public static String humanBytes(long bytes) {
    final String[] units = {"GiB", "MiB", "KiB"};
    final long[] sizes = {KIB * KIB * KIB, KIB * KIB, KIB};
    for (int i = 0; i < units.length; i++) {
      if (bytes != 0 && bytes % sizes[i] == 0) {
        return (bytes / sizes[i]) + " " + units[i];
      }
    }
    return Long.toString(bytes);
  }

  /** Types whose canonical text is {@code toString()}. */
  private abstract static class Simple<T> implements ConfigType<T> {
    private final String name;

    Simple(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String format(T value) {
      return String.valueOf(value);
    }
  }
}
