package dev.runnel.client.internals.config;

import dev.runnel.client.errors.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Converts raw config input (strings or already typed values) to the declared type. */
final class ConfigValues {
  private ConfigValues() {}

  static Object parse(String name, ConfigDef.Type type, Object raw) {
    try {
      return switch (type) {
        case INT -> raw instanceof Integer i ? i : Integer.valueOf(text(raw));
        case LONG -> raw instanceof Long || raw instanceof Integer ? ((Number) raw).longValue()
            : Long.valueOf(text(raw));
        case STRING -> raw instanceof String s ? s.trim() : raw.toString();
        case BOOLEAN -> parseBoolean(name, raw);
        case LIST -> parseList(raw);
        case CLASS -> raw instanceof Class<?> c ? c : Class.forName(text(raw), true,
            Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ConfigValues.class.getClassLoader());
      };
    } catch (NumberFormatException e) {
      throw new ConfigException("invalid value '" + raw + "' for '" + name + "': expected "
          + (type == ConfigDef.Type.INT ? "a 32-bit integer" : "a 64-bit integer"));
    } catch (ClassNotFoundException e) {
      throw new ConfigException("invalid value '" + raw + "' for '" + name + "': class not found");
    }
  }

  private static String text(Object raw) {
    if (raw instanceof String s) {
      return s.trim();
    }
    throw new ConfigException("expected a string but got " + raw.getClass().getSimpleName() + " '"
        + raw + "'");
  }

  private static Boolean parseBoolean(String name, Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    String s = text(raw).toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.valueOf(s);
    }
    throw new ConfigException("invalid value '" + raw + "' for '" + name + "': expected true or false");
  }

  private static List<String> parseList(Object raw) {
    List<String> out = new ArrayList<>();
    if (raw instanceof Collection<?> c) {
      c.forEach(o -> out.add(o.toString().trim()));
    } else {
      for (String part : text(raw).split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return List.copyOf(out);
  }
}
