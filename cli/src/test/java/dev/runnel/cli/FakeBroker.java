package dev.runnel.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for {@code runnel server} in child-process tests. Takes the same arguments
 * ({@code server --set key=value ...}); {@code client.port} is the port to listen on and
 * {@code broker.rack} selects the behaviour:
 * <ul>
 *   <li>{@code serve}: listen until stopped; prints "stopping" on SIGTERM;
 *   <li>{@code fail}: exit 3 at once;
 *   <li>{@code silent}: never listen;
 *   <li>{@code die-after-ready}: listen, then exit 4 after one second;
 *   <li>{@code die-if-broker-1}: like die-after-ready on broker.id 1, else serve;
 *   <li>{@code ignore-term}: listen, and on SIGTERM hang for a minute.
 * </ul>
 * Whatever happens, the process exits after {@link #MAX_LIFETIME_MS} so a failed test leaks
 * nothing for long.
 */
public final class FakeBroker {

  static final long MAX_LIFETIME_MS = 120_000;

  private FakeBroker() {}

  public static void main(String[] args) throws Exception {
    final Map<String, String> settings = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--set")) {
        final String[] pair = args[i + 1].split("=", 2);
        settings.put(pair[0], pair[1]);
      }
    }
    final String mode = settings.getOrDefault("broker.rack", "serve");
    final int port = Integer.parseInt(settings.get("client.port"));
    final String id = settings.getOrDefault("broker.id", "0");
    System.out.println("fake broker " + id + " starting in mode " + mode);
    switch (mode) {
      case "fail":
        System.err.println("cannot start");
        System.exit(3);
        break;
      case "silent":
        Thread.sleep(MAX_LIFETIME_MS);
        System.exit(0);
        break;
      case "die-if-broker-1":
        serve(port, id.equals("1") ? "die-after-ready" : "serve");
        break;
      default:
        serve(port, mode);
    }
  }

  private static void serve(int port, String mode) throws IOException, InterruptedException {
    final ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(port));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping");
      System.out.flush();
      if (mode.equals("ignore-term")) {
        sleepQuietly(60_000);
      }
    }));
    System.out.println("listening on " + port);
    if (mode.equals("die-after-ready")) {
      Thread.sleep(1000);
      Runtime.getRuntime().halt(4);
    }
    final Thread acceptor = new Thread(() -> {
      while (true) {
        try {
          socket.accept().close();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    Thread.sleep(MAX_LIFETIME_MS);
    System.exit(0);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
