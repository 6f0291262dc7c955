package dev.runnel.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One initial member of the metadata Raft group: a controller-eligible broker and the address of
 * its Raft port. Written as {@code id@host:raftPort}; IPv6 hosts go in brackets
 * ({@code 1@[::1]:9293}).
 *
 * @param brokerId the broker's id ({@code broker.id} on that broker), at least 0
 * @param host the broker's advertised host name or address, without brackets
 * @param raftPort the broker's Raft port, 1..65535
 */
public record QuorumMember(int brokerId, String host, int raftPort) {

  /** Named limit: Raft groups beyond this size only add write latency. */
  public static final int MAX_MEMBERS = 9;

  /** Validates the fields; the public parse methods report the same problems as phrases. */
  public QuorumMember {
    if (brokerId < 0) {
      throw new IllegalArgumentException("broker id " + brokerId + " is negative");
    }
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("host '" + host + "' is empty or contains whitespace");
    }
    if (raftPort < 1 || raftPort > 65535) {
      throw new IllegalArgumentException("port " + raftPort + " is not in 1..65535");
    }
  }

  /** {@code host:port}, with brackets around IPv6 hosts. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + raftPort;
  }

  @Override
  public String toString() {
    return brokerId + "@" + address();
  }

  /**
   * Parses a comma-separated member list, e.g. {@code 0@broker-0:9293,1@broker-1:9293}.
   *
   * @throws IllegalArgumentException with a phrase naming the bad entry, when the text is
   *     malformed, empty, longer than {@link #MAX_MEMBERS}, or repeats a broker id or address
   */
  public static List<QuorumMember> parseList(String text) {
    final List<QuorumMember> members = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      members.add(parseOne(entry.trim()));
      if (members.size() > MAX_MEMBERS) {
        throw new IllegalArgumentException("has more than " + MAX_MEMBERS + " members");
      }
    }
    final Set<Integer> ids = new HashSet<>();
    final Set<String> addresses = new HashSet<>();
    for (QuorumMember member : members) {
      if (!ids.add(member.brokerId())) {
        throw new IllegalArgumentException("has duplicate broker id " + member.brokerId());
      }
      if (!addresses.add(member.address())) {
        throw new IllegalArgumentException("has duplicate address " + member.address());
      }
    }
    return List.copyOf(members);
  }

  /** The inverse of {@link #parseList}. */
  public static String formatList(List<QuorumMember> members) {
    final List<String> parts = new ArrayList<>();
    for (QuorumMember member : members) {
      parts.add(member.toString());
    }
    return String.join(",", parts);
  }

  private static QuorumMember parseOne(String entry) {
    final String expected = "has an invalid entry '" + entry + "' (expected id@host:port)";
    final int at = entry.indexOf('@');
    final int colon = entry.lastIndexOf(':');
    if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
      throw new IllegalArgumentException(expected);
    }
    String host = entry.substring(at + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(expected + ", IPv6 hosts go in brackets");
    }
    final int id;
    final int port;
    try {
      id = Integer.parseInt(entry.substring(0, at));
      port = Integer.parseInt(entry.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected);
    }
    try {
      return new QuorumMember(id, host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "has an invalid entry '" + entry + "' (" + e.getMessage() + ")");
    }
  }
}
