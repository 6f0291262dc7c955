package dev.runnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into version.properties at build time. */
public final class VersionProvider implements IVersionProvider {

  /** The Runnel version, or "unknown" when run from unprocessed sources. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      final Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
        "runnel " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
            + ")"};
  }
}
