package dev.runnel.client;

import java.util.Locale;

/** The codec the producer applies to each record batch. The broker stores batches as they are. */
public enum CompressionType {
  NONE,
  /** LZ4 frame format: fast, moderate ratio. */
  LZ4,
  /** Zstandard: slower, better ratio. */
  ZSTD;

  /** Parses {@code none}, {@code lz4} or {@code zstd}, ignoring case. */
  public static CompressionType parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("compression.type must be one of none, lz4, zstd, got '" + s
          + "'", e);
    }
  }
}
