package dev.runnel.cli;

import dev.runnel.cli.dev.ClusterProbe;
import dev.runnel.cli.server.BrokerLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Runs the {@code runnel} command in-process for tests, capturing stdout, stderr and the exit
 * code. Child brokers of {@code dev} are {@link FakeBroker} JVMs.
 */
public final class CliRunner {

  /** Result of one invocation. */
  public record Run(int exitCode, String out, String err) {}

  private CliRunner() {}

  /**
   * Runs with a given environment and in-process broker launcher; {@code dev} takes its brokers
   * as formed at once (fake brokers have no cluster to form).
   */
  public static Run run(Map<String, String> env, BrokerLauncher launcher, String... args) {
    return run(env, launcher, (address, brokers) -> true, args);
  }

  /** As above, with a chosen way for {@code dev} to tell that its brokers have formed a cluster. */
  public static Run run(Map<String, String> env, BrokerLauncher launcher, ClusterProbe probe,
      String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code = Main.commandLine(new Main(env, launcher, FakeBroker.class.getName(), probe),
        new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs with an empty environment; an in-process broker would fail to start. */
  public static Run run(String... args) {
    return run(Map.of(), config -> {
      throw new IOException("no broker in this test");
    }, args);
  }

  /** A broker that terminates as soon as it is awaited. */
  public static final class FakeRunningBroker implements BrokerLauncher.RunningBroker {
    private final String address;
    private int closeCalls;

    public FakeRunningBroker(String address) {
      this.address = address;
    }

    public int closeCalls() {
      return closeCalls;
    }

    @Override
    public String clientAddress() {
      return address;
    }

    @Override
    public void awaitTermination() {}

    @Override
    public void close() {
      closeCalls++;
    }
  }
}
