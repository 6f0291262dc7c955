package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JitChoiceTest {

  private static final List<String> DEFAULTS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

  @Test
  void brokersWithFewerThanTwoCoresEachRunC1Only() {
    assertEquals(Optional.of("-XX:TieredStopAtLevel=1"), JitChoice.forBrokers(3, 2, DEFAULTS));
    assertEquals(Optional.of("-XX:TieredStopAtLevel=1"), JitChoice.forBrokers(3, 5, DEFAULTS));
    assertEquals(Optional.of("-XX:TieredStopAtLevel=1"), JitChoice.forBrokers(2, 1, DEFAULTS));
  }

  @Test
  void enoughCoresOrOneBrokerKeepTheDefaultCompilers() {
    assertEquals(Optional.empty(), JitChoice.forBrokers(3, 6, DEFAULTS));
    assertEquals(Optional.empty(), JitChoice.forBrokers(3, 16, DEFAULTS));
    assertEquals(Optional.empty(), JitChoice.forBrokers(1, 1, DEFAULTS));
  }

  @Test
  void theUsersOwnCompilerChoiceWins() {
    for (String own : List.of("-XX:TieredStopAtLevel=4", "-XX:+TieredCompilation",
        "-XX:-TieredCompilation")) {
      assertEquals(Optional.empty(), JitChoice.forBrokers(3, 2,
          List.of("-Xmx1g", own, "-XX:+UseG1GC")), own);
    }
  }

  @Test
  void theOptionReachesTheChildCommandAfterTheInheritedOnes() {
    final List<String> command = JavaCommand.of(List.of(JitChoice.C1_ONLY), "a.Main",
        List.of("server"));
    final int cp = command.indexOf("-cp");
    assertEquals(JitChoice.C1_ONLY, command.get(cp - 1));
    assertEquals(List.of("a.Main", "server"), command.subList(cp + 2, command.size()));
  }
}
