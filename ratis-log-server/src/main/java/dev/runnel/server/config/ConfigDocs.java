package dev.runnel.server.config;

/**
 * Generates the broker configuration reference (docs/configuration.md) from the key
 * definitions, so the documentation cannot drift from the code; a test compares the two.
 */
public final class ConfigDocs {

  private ConfigDocs() {}

  /** The whole reference page as Markdown. */
  public static String markdown() {
    final StringBuilder md = new StringBuilder();
    md.append("# Broker configuration\n\n")
        .append("<!-- Generated from ServerConfigKeys by ConfigDocs; do not edit by hand. -->\n")
        .append("<!-- Regenerate: ./mvnw -B -q -pl ratis-log-server -am test "
            + "-Dtest=ConfigDocsTest -Drunnel.docs.update=true "
            + "-Dsurefire.failIfNoSpecifiedTests=false -->\n\n")
        .append("Each key can be set in four places; a later one overrides an earlier one:\n\n")
        .append("1. the default below;\n")
        .append("2. the properties file given with `runnel server --config FILE` "
            + "(Java `.properties` syntax, UTF-8);\n")
        .append("3. an environment variable `RUNNEL_<KEY>`: the key upper-cased with `.` "
            + "replaced by `_`, e.g. `RUNNEL_CLIENT_PORT` (handy on Kubernetes);\n")
        .append("4. a flag `--set key=value` (repeatable).\n\n")
        .append("The broker checks everything at start and reports all problems at once, each "
            + "naming the key, the value and what is allowed. Unknown keys in the file or in "
            + "flags are errors; unknown `RUNNEL_*` environment variables are ignored with a "
            + "warning (`RUNNEL_BOOTSTRAP`, `RUNNEL_JAVA_OPTS` and `RUNNEL_LOG_LEVEL` belong "
            + "to other tools and are ignored silently). Use `runnel server --print-config` "
            + "to see the effective values and where each came from.\n\n")
        .append("Types: `bytes` accepts a plain count or a binary suffix (`64KiB`, `4MiB`, "
            + "`1GiB`); `ms` is whole milliseconds; `list` is comma-separated.\n\n")
        .append("| Key | Type | Default | Allowed | Description |\n")
        .append("|---|---|---|---|---|\n");
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      md.append("| `").append(key.name()).append("`<br>`").append(key.envName()).append("` | ")
          .append(key.type().name()).append(" | ").append(defaultCell(key)).append(" | ")
          .append(key.validator().allowed()).append(" | ").append(key.doc()).append(" |\n");
    }
    md.append("\nRules between keys (checked at start):\n\n");
    for (String rule : ConfigRelations.DESCRIPTIONS) {
      md.append("- ").append(rule).append('\n');
    }
    return md.toString();
  }

  private static String defaultCell(ConfigKey<?> key) {
    final String text = key.defaultText();
    if (text.isEmpty()) {
      return "(empty)";
    }
    if (key.type() == ConfigTypes.BYTES_INT || key.type() == ConfigTypes.BYTES_LONG) {
      final String human = ConfigTypes.humanBytes(Long.parseLong(text));
      if (!human.equals(text)) {
        return "`" + text + "` (" + human + ")";
      }
    }
    return "`" + text + "`";
  }
}
