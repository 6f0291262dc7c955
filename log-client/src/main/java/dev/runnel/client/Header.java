package dev.runnel.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One application header of a record: a string key and an optional byte value. Keys may repeat within
 * a record; order is kept.
 */
public final class Header {
  private final String key;
  private final byte[] value;

  /**
   * @param key the header key, not null
   * @param value the value, or null for a header without a value
   */
  public Header(String key, byte[] value) {
    this.key = Objects.requireNonNull(key, "header key");
    this.value = value;
  }

  /** A header whose value is the UTF-8 encoding of {@code value} (null stays null). */
  public static Header ofString(String key, String value) {
    return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  public String key() {
    return key;
  }

  /** The value bytes, or null. The array is shared: do not modify it. */
  public byte[] value() {
    return value;
  }

  /** The value decoded as UTF-8, or null. */
  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Header(" + key + "=" + (value == null ? "null" : value.length + " bytes") + ")";
  }
}
