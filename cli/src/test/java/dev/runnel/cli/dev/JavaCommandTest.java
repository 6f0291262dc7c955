package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {

  @Test
  void keepsHeapGcAndPropertiesButNotAgentsOrDebuggers() {
    assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC", "-Dfoo=bar"),
        JavaCommand.inheritableOptions(List.of("-Xmx1g", "-XX:+UseG1GC", "-Dfoo=bar",
            "-javaagent:/jacoco.jar", "-agentlib:jdwp=transport=dt_socket,address=5005",
            "-Xdebug", "-Xrunjdwp:transport=dt_socket", "--add-opens=java.base/java.lang=ALL")));
  }

  @Test
  void commandRunsTheSameJavaAndClasspath() {
    final List<String> command = JavaCommand.of("a.Main", List.of("server", "--verbose"));
    assertTrue(command.get(0).endsWith("java"), command.get(0));
    final int cp = command.indexOf("-cp");
    assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
    assertEquals(List.of("a.Main", "server", "--verbose"),
        command.subList(cp + 2, command.size()));
  }
}
