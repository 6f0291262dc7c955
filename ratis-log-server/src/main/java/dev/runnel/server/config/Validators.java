package dev.runnel.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** Factories for the {@link Validator}s used by configuration keys. */
public final class Validators {

  private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "*");

  private Validators() {}

  /** Accepts every value. */
  public static <T> Validator<T> any(String allowed) {
    return of(value -> true, "is not allowed", allowed);
  }

  /** Inclusive integer range. */
  public static Validator<Integer> between(int min, int max) {
    return of(v -> v >= min && v <= max, "is out of range", min + ".." + max);
  }

  /** Inclusive long range. */
  public static Validator<Long> between(long min, long max) {
    return of(v -> v >= min && v <= max, "is out of range", min + ".." + max);
  }

  /** A port: 1..65535, or 0 when {@code zeroMeansAny} (bind any free port, for tests). */
  public static Validator<Integer> port(boolean zeroMeansAny) {
    final int min = zeroMeansAny ? 0 : 1;
    final String allowed = zeroMeansAny ? "0..65535, 0 = any free port" : "1..65535";
    return of(v -> v >= min && v <= 65535, "is not a valid port", allowed);
  }

  /** Inclusive byte range, shown with binary units. */
  public static Validator<Long> bytesBetween(long min, long max) {
    return of(v -> v >= min && v <= max, "is out of range",
        ConfigTypes.humanBytes(min) + ".." + ConfigTypes.humanBytes(max));
  }

  /** Inclusive byte range for int-typed keys. */
  public static Validator<Integer> intBytesBetween(int min, int max) {
    return mapped(bytesBetween(min, max), Integer::longValue);
  }

  /** -1 (unlimited) or a value of at least 0. */
  public static Validator<Long> unlimitedOrAtLeastZero(String unit) {
    return of(v -> v >= -1, "is out of range", "-1 = unlimited, or >= 0 " + unit);
  }

  /** Inclusive range of whole milliseconds. */
  public static Validator<Duration> millisBetween(long min, long max) {
    return mapped(between(min, max), Duration::toMillis);
  }

  /** 0 (off) or an inclusive range of whole milliseconds. */
  public static Validator<Duration> offOrMillisBetween(long min, long max) {
    return of(v -> v.toMillis() == 0 || (v.toMillis() >= min && v.toMillis() <= max),
        "is out of range", "0 = off, or " + min + ".." + max);
  }

  /** A host name or address a peer can connect to: not empty, no whitespace, not a wildcard. */
  public static Validator<String> connectableHost() {
    return of(v -> isHostLike(v) && !WILDCARD_HOSTS.contains(v), "is not a connectable host",
        "a host name or address, not a wildcard such as 0.0.0.0");
  }

  /** A host name or address to bind to, wildcards included. */
  public static Validator<String> bindHost() {
    return of(Validators::isHostLike, "is not a host", "a host name or address, 0.0.0.0 = all");
  }

  /** Text without whitespace of at most {@code maxLength} characters (may be empty). */
  public static Validator<String> token(int maxLength) {
    return of(v -> v.length() <= maxLength && v.chars().noneMatch(Character::isWhitespace),
        "is not allowed", "at most " + maxLength + " characters, no whitespace");
  }

  /** One of two or more {@code choices}; the error lists them: "must be auto, on or off". */
  public static Validator<String> oneOf(String... choices) {
    if (choices.length < 2) {
      throw new IllegalArgumentException("oneOf needs two or more choices");
    }
    List<String> list = List.of(choices);
    String allowed = String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    return of(list::contains, "must be " + allowed, allowed);
  }

  /** Builds a validator from a predicate. */
  public static <T> Validator<T> of(Predicate<T> ok, String problem, String allowed) {
    return new Validator<>() {
      @Override
      public String check(T value) {
        return ok.test(value) ? null : problem;
      }

      @Override
      public String allowed() {
        return allowed;
      }
    };
  }

  private static <T, U> Validator<T> mapped(Validator<U> inner, Function<T, U> map) {
    return new Validator<>() {
      @Override
      public String check(T value) {
        return inner.check(map.apply(value));
      }

      @Override
      public String allowed() {
        return inner.allowed();
      }
    };
  }

  private static boolean isHostLike(String value) {
    return !value.isEmpty() && value.length() <= 253
        && value.chars().noneMatch(Character::isWhitespace);
  }
}
