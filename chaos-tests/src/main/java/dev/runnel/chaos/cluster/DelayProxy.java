package dev.runnel.chaos.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A TCP proxy for one link that hands on every byte a fixed time after it arrived, in both
 * directions: latency without {@code tc netem}, which this kernel lacks. Traffic is steered into it
 * with a DNAT rule (see {@link NamespaceNet#delay}).
 *
 * <p>Bounded: at most {@link #MAX_QUEUED_CHUNKS} chunks of at most {@link #CHUNK_BYTES} wait per
 * direction of a connection; when they are full the proxy stops reading, and TCP flow control
 * pushes back on the sender as a slow link would.
 */
final class DelayProxy implements AutoCloseable {
  static final int CHUNK_BYTES = 64 << 10;
  static final int MAX_QUEUED_CHUNKS = 128;
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final LongSupplier nanoClock;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Listens on {@code listen} and forwards each accepted connection to {@code target}, adding
   * {@code delayMillis} each way.
   */
  DelayProxy(InetSocketAddress listen, InetSocketAddress target, long delayMillis, LongSupplier nanoClock)
      throws IOException {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delay must not be negative: " + delayMillis);
    }
    this.target = target;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.nanoClock = nanoClock;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen);
    daemon("delay-accept-" + listen.getPort(), this::acceptLoop).start();
  }

  /** The port it listens on (useful when bound to port 0). */
  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket out = new Socket();
      try {
        out.connect(target, CONNECT_TIMEOUT_MS);
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(in);
        closeQuietly(out);
        continue;
      }
      sockets.add(in);
      sockets.add(out);
      if (closed) {
        closeQuietly(in);
        closeQuietly(out);
        return;
      }
      pump(in, out);
      pump(out, in);
    }
  }

  /** One direction: a reader stamps chunks with their due time, a writer sends them when due. */
  private void pump(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(MAX_QUEUED_CHUNKS);
    String name = from.getPort() + ">" + to.getPort();
    daemon("delay-read-" + name, () -> {
      byte[] buf = new byte[CHUNK_BYTES];
      try (InputStream is = from.getInputStream()) {
        int n;
        while ((n = is.read(buf)) >= 0) {
          queue.put(new Chunk(nanoClock.getAsLong() + delayNanos, Arrays.copyOf(buf, n)));
        }
        queue.put(Chunk.END);
      } catch (IOException | InterruptedException e) {
        closeBoth(from, to);
      }
    }).start();
    daemon("delay-write-" + name, () -> {
      try {
        OutputStream os = to.getOutputStream();
        while (!closed) {
          Chunk c = queue.poll(1, TimeUnit.SECONDS);
          if (c == null) {
            continue;
          }
          if (c == Chunk.END) {
            to.shutdownOutput();
            return;
          }
          long wait = c.dueNanos - nanoClock.getAsLong();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          os.write(c.bytes);
          os.flush();
        }
      } catch (IOException | InterruptedException e) {
        closeBoth(from, to);
      }
    }).start();
  }

  private void closeBoth(Socket a, Socket b) {
    closeQuietly(a);
    closeQuietly(b);
    sockets.remove(a);
    sockets.remove(b);
  }

  /** Stops listening and drops every proxied connection: their ends reconnect (directly, once healed). */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing for good; nothing to do.
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private record Chunk(long dueNanos, byte[] bytes) {
    static final Chunk END = new Chunk(0, new byte[0]);
  }
}
