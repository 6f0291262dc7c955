package dev.runnel.client.internals.config;

import dev.runnel.client.errors.ConfigException;

/**
 * A broker address, {@code host:port} or {@code [ipv6]:port}.
 *
 * @param host the host name or address
 * @param port the port, 1 to 65535
 */
public record HostPort(String host, int port) {

  /** Parses one address; {@code key} names the setting in the error message. */
  public static HostPort parse(String key, String s) {
    String v = s.trim();
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new ConfigException("invalid address '" + s + "' in '" + key + "': expected host:port");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException("invalid port in '" + s + "' in '" + key + "': not a number");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("invalid port in '" + s + "' in '" + key + "': must be 1 to 65535");
    }
    return new HostPort(host, port);
  }

  /** The gRPC target string. */
  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
