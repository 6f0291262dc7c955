package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {

  @TempDir Path dir;

  private Path file(String text) throws IOException {
    final Path path = dir.resolve("broker.properties");
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path;
  }

  @Test
  void eachSourceOverridesThePreviousOne() throws IOException {
    final Path path = file("# comment\nclient.port = 1001\nraft.port=2001\nhttp.port=3001\n"
        + "broker.rack=file\nmetadata.quorum=0@localhost:2002\n");
    final Map<String, String> env = Map.of(
        "RUNNEL_RAFT_PORT", "2002", "RUNNEL_HTTP_PORT", "3002", "PATH", "/bin");
    final ServerConfig config = new ServerConfigLoader().file(path).env(env)
        .set("http.port", "3003").load();
    assertEquals(1001, config.clientPort());
    assertEquals(2002, config.raftPort());
    assertEquals(3003, config.httpPort());
    assertEquals("file", config.rack());
    assertEquals(0, config.brokerId());
    assertEquals("file " + path, config.sourceOf(ServerConfigKeys.CLIENT_PORT));
    assertEquals("environment variable RUNNEL_RAFT_PORT",
        config.sourceOf(ServerConfigKeys.RAFT_PORT));
    assertEquals("--set", config.sourceOf(ServerConfigKeys.HTTP_PORT));
    assertEquals("default", config.sourceOf(ServerConfigKeys.BROKER_ID));
  }

  @Test
  void laterFlagForTheSameKeyWins() {
    final ServerConfig config = new ServerConfigLoader()
        .set("broker.id", "1").set("broker.id", "2").set("metadata.quorum", "2@localhost:9293")
        .load();
    assertEquals(2, config.brokerId());
  }

  @Test
  void errorsNameTheirSource() throws IOException {
    final Path path = file("client.port=abc\n");
    final ConfigException e = assertThrows(ConfigException.class, () -> new ServerConfigLoader()
        .file(path).env(Map.of("RUNNEL_BROKER_ID", "x")).set("raft.port", "-5").load());
    assertEquals(List.of(
        "broker.id: 'x' is not an integer (0..2147483647), from environment variable "
            + "RUNNEL_BROKER_ID",
        "client.port: 'abc' is not an integer (0..65535, 0 = any free port), from file " + path,
        "raft.port: '-5' is not a valid port (0..65535, 0 = any free port), from --set"),
        e.errors());
  }

  @Test
  void unknownKeysInFileOrFlagsAreErrors() throws IOException {
    final Path path = file("client.port=1\nclient.prot=2\n");
    final ConfigException e = assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(path).set("bogus", "1").load());
    assertEquals(List.of(
        "client.prot: unknown configuration key, from file " + path
            + " (did you mean 'client.port'?)",
        "bogus: unknown configuration key, from --set"), e.errors());
  }

  @Test
  void unknownRunnelVariablesOnlyWarn() {
    final ServerConfigLoader loader = new ServerConfigLoader().env(Map.of(
        "RUNNEL_CLIENT_PROT", "1", "RUNNEL_BOOTSTRAP", "localhost:9292",
        "RUNNEL_JAVA_OPTS", "-Xmx1g", "RUNNEL_LOG_LEVEL", "DEBUG", "HOME", "/root"));
    assertEquals(ServerConfig.defaults(), loader.load());
    assertEquals(List.of("ignoring environment variable RUNNEL_CLIENT_PROT: it matches no "
        + "broker configuration key"), loader.warnings());
  }

  @Test
  void missingFileIsAClearError() {
    final Path missing = dir.resolve("missing.properties");
    final ConfigException e = assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(missing).load());
    assertEquals(List.of("config file " + missing + " does not exist"), e.errors());
    final ConfigException directory = assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(dir).load());
    assertEquals(List.of("config file " + dir + " is not a regular file"), directory.errors());
  }

  @Test
  void fileErrorsAreReportedWithTheOtherErrors() {
    final ConfigException e = assertThrows(ConfigException.class, () -> new ServerConfigLoader()
        .file(dir.resolve("nope")).set("client.port", "x").load());
    assertEquals(2, e.errors().size(), e.getMessage());
  }

  @Test
  void keySetTwiceInTheFileIsAnError() throws IOException {
    final Path path = file("client.port=1\nclient.port=2\n");
    final ConfigException e = assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(path).load());
    assertEquals(List.of("client.port: set more than once in file " + path), e.errors());
  }

  @Test
  void oversizedMalformedAndNonUtf8FilesAreRejected() throws IOException {
    final Path big = file("#" + "x".repeat((int) ServerConfigLoader.MAX_FILE_BYTES));
    assertTrue(assertThrows(ConfigException.class, () -> new ServerConfigLoader().file(big).load())
        .getMessage().contains("is larger than 1048576 bytes"));
    final Path escape = file("broker.rack=\\uZZZZ\n");
    assertTrue(assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(escape).load()).getMessage().contains("malformed"));
    final Path latin1 = dir.resolve("latin1.properties");
    Files.write(latin1, new byte[] {'b', 'r', 'o', 'k', 'e', 'r', '.', 'r', 'a', 'c', 'k', '=',
        (byte) 0xE9});
    assertTrue(assertThrows(ConfigException.class,
        () -> new ServerConfigLoader().file(latin1).load()).getMessage()
        .contains("is not valid UTF-8"));
  }

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    for (ConfigKey<?> key : ServerConfigKeys.all()) {
      final ServerConfigLoader loader = new ServerConfigLoader()
          .env(Map.of(key.envName(), key.defaultText()));
      assertEquals(ServerConfig.defaults(), loader.load(), key.name());
      assertEquals(List.of(), loader.warnings(), key.name());
    }
    assertEquals("RUNNEL_BROKER_SESSION_TIMEOUT_MS", ServerConfigKeys.SESSION_TIMEOUT.envName());
  }
}
