package dev.runnel.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The broker's HTTP port: {@code /health} (200 once the broker is registered, else 503) and
 * {@code /metrics} in the Prometheus text format.
 */
final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;

  HttpEndpoint(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "runnel-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/health", ex -> respond(ex, healthy.getAsBoolean() ? 200 : 503,
        healthy.getAsBoolean() ? "ok\n" : "starting\n", "text/plain"));
    server.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
