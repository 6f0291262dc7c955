package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short system commands (ip, kill), failing with their output when they fail. */
final class Shell {
  private Shell() {}

  static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.strip());
    }
    return out;
  }

  /** Like {@link #run} but ignores failure: for clean-up of things that may be gone already. */
  static void quietly(String... cmd) {
    try {
      run(cmd);
    } catch (IOException e) {
      // Already gone.
    }
  }

  static boolean available(List<String> cmd) {
    try {
      run(cmd.toArray(String[]::new));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
