package dev.runnel.server.config;

/**
 * One raw key/value pair and where it came from, before parsing.
 *
 * @param key the key name as written
 * @param value the text as written
 * @param source for error messages, e.g. {@code --set} or {@code environment variable
 *     RUNNEL_CLIENT_PORT}
 */
public record Setting(String key, String value, String source) {}
