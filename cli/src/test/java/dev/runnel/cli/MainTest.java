package dev.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.cli.CliRunner.FakeRunningBroker;
import dev.runnel.cli.CliRunner.Run;
import dev.runnel.server.config.ConfigDocs;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Runs the command in-process and checks output and exit codes. */
class MainTest {

  static void assertNoStackTrace(Run run) {
    assertFalse(run.err().contains("\tat "), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void helpListsTheCommands() {
    final Run run = CliRunner.run("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("Usage: runnel"), run.out());
    assertTrue(run.out().contains("server") && run.out().contains("dev"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void noArgumentsPrintsHelp() {
    final Run run = CliRunner.run();
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("Usage: runnel"), run.out());
  }

  @Test
  void versionComesFromTheBuild() {
    final Run run = CliRunner.run("--version");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().matches("(?s)runnel \\d+\\.\\d+\\.\\d+.*"), run.out());
  }

  @Test
  void unknownOptionIsAUsageErrorNamingTheOption() {
    final Run run = CliRunner.run("--bogus");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("runnel: error: Unknown option: '--bogus'"), run.err());
    assertTrue(run.err().contains("Try 'runnel --help' for usage."), run.err());
    assertNoStackTrace(run);
  }

  @Test
  void misspeltCommandGetsASuggestion() {
    final Run run = CliRunner.run("serve");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("server"), run.err());
    assertNoStackTrace(run);
  }

  @Test
  void missingConfigFileIsAUsageError() {
    final Run run = CliRunner.run("server", "--config", "missing.properties");
    assertEquals(2, run.exitCode());
    assertEquals("runnel: error: config file missing.properties does not exist\n", run.err());
  }

  @Test
  void badValueNamesTheKeyAndTheValue() {
    final Run run = CliRunner.run("server", "--set", "client.port=abc");
    assertEquals(2, run.exitCode());
    assertEquals("runnel: error: client.port: 'abc' is not an integer "
        + "(0..65535, 0 = any free port), from --set\n", run.err());
  }

  @Test
  void environmentVariablesAreRead() {
    final Run run = CliRunner.run(Map.of("RUNNEL_CLIENT_PORT", "abc"), config -> {
      throw new AssertionError("must not start");
    }, "server");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("from environment variable RUNNEL_CLIENT_PORT"), run.err());
  }

  @Test
  void setWithoutEqualsIsAUsageError() {
    final Run run = CliRunner.run("server", "--set", "client.port");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("'--set'"), run.err());
    assertNoStackTrace(run);
  }

  @Test
  void printConfigPrintsAValidPropertiesFile() throws IOException {
    final Run run = CliRunner.run("server", "--print-config", "--set", "client.port=0");
    assertEquals(0, run.exitCode(), run.err());
    final Properties properties = new Properties();
    properties.load(new StringReader(run.out()));
    assertEquals("0", properties.getProperty("client.port"));
    assertEquals("9293", properties.getProperty("raft.port"));
    assertTrue(run.out().contains("# from --set\nclient.port=0\n"), run.out());
  }

  @Test
  void describeConfigPrintsTheReference() {
    final Run run = CliRunner.run("server", "--describe-config");
    assertEquals(0, run.exitCode());
    assertEquals(ConfigDocs.markdown(), run.out());
  }

  @Test
  void brokerStartFailureIsOneLineWithoutVerbose() {
    final Run run = CliRunner.run(Map.of(), config -> {
      throw new IOException("broker wiring lands later", new IllegalStateException("disk"));
    }, "server", "--set", "client.port=0");
    assertEquals(1, run.exitCode());
    assertEquals("runnel: error: broker wiring lands later: disk\n", run.err());
  }

  @Test
  void verboseAddsTheStackTraceAnywhereOnTheLine() {
    for (String[] args : new String[][] {
        {"--verbose", "server"}, {"server", "--verbose"}}) {
      final Run run = CliRunner.run(Map.of(), config -> {
        throw new IOException("boom");
      }, args);
      assertEquals(1, run.exitCode());
      assertTrue(run.err().startsWith("runnel: error: boom\njava.io.IOException: boom"),
          run.err());
      assertTrue(run.err().contains("\tat "), run.err());
    }
  }

  @Test
  void serverRunsTheBrokerUntilItTerminatesAndClosesIt() {
    final FakeRunningBroker broker = new FakeRunningBroker("localhost:1234");
    final Run run = CliRunner.run(Map.of(), config -> {
      assertEquals(7, config.brokerId());
      return broker;
    }, "server", "--set", "broker.id=7", "--set", "metadata.quorum=7@localhost:9293");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, broker.closeCalls());
  }
}
