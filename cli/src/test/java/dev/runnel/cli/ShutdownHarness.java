package dev.runnel.cli;

/**
 * A child JVM for {@link GracefulShutdownTest}: installs a {@link GracefulShutdown} whose stop
 * action prints "stopped" (or fails when the first argument is "fail"), prints "ready", and
 * waits to be signalled (at most a minute).
 */
public final class ShutdownHarness {

  private ShutdownHarness() {}

  public static void main(String[] args) throws InterruptedException {
    final boolean fail = args.length > 0 && args[0].equals("fail");
    GracefulShutdown.install("harness", () -> {
      System.out.println("stopped");
      if (fail) {
        throw new IllegalStateException("stop failed on purpose");
      }
    });
    System.out.println("ready");
    Thread.sleep(60_000);
    System.exit(5);
  }
}
