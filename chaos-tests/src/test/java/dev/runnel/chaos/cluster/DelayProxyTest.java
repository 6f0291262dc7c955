package dev.runnel.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The delay proxy on loopback, against an echo server. */
class DelayProxyTest {
  private static final InetSocketAddress ANY_LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** Echoes every byte back on each accepted connection until closed. */
  private static ServerSocket echoServer() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(ANY_LOOPBACK);
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
          // Connection or server closed.
        }
      }
    }, "echo");
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void bytesArriveIntactAndLateBothWays() throws Exception {
    try (ServerSocket echo = echoServer();
        DelayProxy proxy = new DelayProxy(ANY_LOOPBACK,
            (InetSocketAddress) echo.getLocalSocketAddress(), 150, System::nanoTime);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      client.setSoTimeout(10_000);
      byte[] message = new byte[200_000]; // several chunks
      for (int i = 0; i < message.length; i++) {
        message[i] = (byte) (i * 31);
      }
      long start = System.nanoTime();
      OutputStream out = client.getOutputStream();
      out.write(message);
      out.flush();
      byte[] back = client.getInputStream().readNBytes(message.length);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertArrayEquals(message, back);
      // 150 ms to the echo server and 150 ms back: never faster than that.
      assertTrue(elapsedMs >= 300, "round trip took only " + elapsedMs + " ms");
    }
  }

  @Test
  void closingDropsProxiedConnections() throws Exception {
    try (ServerSocket echo = echoServer()) {
      DelayProxy proxy = new DelayProxy(ANY_LOOPBACK,
          (InetSocketAddress) echo.getLocalSocketAddress(), 0, System::nanoTime);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        client.setSoTimeout(10_000);
        client.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
        assertEquals("ping", new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        proxy.close();
        InputStream in = client.getInputStream();
        int read;
        try {
          read = in.read();
        } catch (IOException reset) {
          read = -1;
        }
        assertEquals(-1, read, "the proxied connection should be closed");
      }
      // (Not asserted: that connecting to the old port fails. On loopback a connect to a free
      // ephemeral port can succeed by TCP self-connect.)
    }
  }

  @Test
  void negativeDelayIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DelayProxy(ANY_LOOPBACK, ANY_LOOPBACK, -1, System::nanoTime));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }
}
