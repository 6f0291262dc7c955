package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md equal to the generated reference. After changing a key, regenerate
 * with {@code -Drunnel.docs.update=true} (the command is in the file's header).
 */
class ConfigDocsTest {

  /** Tests run with the module directory as working directory. */
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void committedReferenceMatchesTheKeyDefinitions() throws IOException {
    final String generated = ConfigDocs.markdown();
    if (Boolean.getBoolean("runnel.docs.update")) {
      Files.createDirectories(DOC.getParent());
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(DOC), "missing " + DOC.toAbsolutePath());
    assertEquals(generated, Files.readString(DOC, StandardCharsets.UTF_8),
        "docs/configuration.md is stale; regenerate it with -Drunnel.docs.update=true");
  }

  @Test
  void everyKeyIsDocumentedWithItsEnvironmentVariable() {
    final String markdown = ConfigDocs.markdown();
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      assertTrue(markdown.contains("| `" + key.name() + "`<br>`" + key.envName() + "` |"),
          key.name());
    }
    assertTrue(markdown.contains("| `4096` (4 KiB) |"), markdown);
  }
}
