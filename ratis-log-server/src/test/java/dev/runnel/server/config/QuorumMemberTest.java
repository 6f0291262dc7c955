package dev.runnel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumMemberTest {

  @Test
  void parsesHostsNamesAddressesAndBracketedIpv6() {
    assertEquals(List.of(
        new QuorumMember(0, "runnel-0.runnel.svc", 9293),
        new QuorumMember(1, "10.0.0.2", 9393),
        new QuorumMember(2, "::1", 9493)),
        QuorumMember.parseList("0@runnel-0.runnel.svc:9293, 1@10.0.0.2:9393 ,2@[::1]:9493"));
  }

  @Test
  void formatIsTheInverseOfParse() {
    final String text = "0@a:1,5@[fe80::1]:65535";
    assertEquals(text, QuorumMember.formatList(QuorumMember.parseList(text)));
    assertEquals("[fe80::1]:65535", QuorumMember.parseList(text).get(1).address());
  }

  @Test
  void configExposesTheParsedQuorum() {
    final ServerConfig config = ServerConfig.of(Map.of("broker.id", "1",
        "metadata.quorum", "0@b0:9293,1@b1:9293,2@b2:9293"));
    assertEquals(3, config.metadataQuorum().size());
    assertEquals(new QuorumMember(1, "b1", 9293), config.metadataQuorum().get(1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'' | has an invalid entry '' (expected id@host:port)",
      "0@a:1, | has an invalid entry '' (expected id@host:port)",
      "a@h:1 | has an invalid entry 'a@h:1' (expected id@host:port)",
      "0@h:x | has an invalid entry '0@h:x' (expected id@host:port)",
      "0@:1 | has an invalid entry '0@:1' (expected id@host:port)",
      "0h:1 | has an invalid entry '0h:1' (expected id@host:port)",
      "0@h: | has an invalid entry '0@h:' (expected id@host:port)",
      "0@::1:9 | has an invalid entry '0@::1:9' (expected id@host:port), IPv6 hosts go in brackets",
      "-1@h:1 | has an invalid entry '-1@h:1' (broker id -1 is negative)",
      "0@h:0 | has an invalid entry '0@h:0' (port 0 is not in 1..65535)",
      "0@h:70000 | has an invalid entry '0@h:70000' (port 70000 is not in 1..65535)",
      "0@a:1,0@b:1 | has duplicate broker id 0",
      "0@a:1,1@a:1 | has duplicate address a:1",
      "0@a:1,1@a:2,2@a:3,3@a:4,4@a:5,5@a:6,6@a:7,7@a:8,8@a:9,9@a:10 | has more than 9 members",
  })
  void rejectsMalformedLists(String text, String expected) {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuorumMember.parseList(text));
    assertEquals(expected, e.getMessage());
    final ConfigException config = assertThrows(ConfigException.class,
        () -> ServerConfig.of(Map.of("metadata.quorum", text)));
    assertEquals("metadata.quorum: '" + text.trim() + "' " + expected
        + " (1..9 entries id@host:raftPort with unique ids and addresses), from ServerConfig.of",
        config.errors().get(0));
  }
}
