package dev.runnel.client.internals.consumer;

import java.util.Locale;

/** Where a partition without a valid position starts: {@code auto.offset.reset} and explicit seeks. */
public enum OffsetReset {
  EARLIEST, LATEST, NONE;

  public static OffsetReset parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  /** The ListOffsets timestamp value for this strategy. */
  public long timestampSpec() {
    return switch (this) {
      case EARLIEST -> -2L;
      case LATEST -> -1L;
      case NONE -> throw new IllegalStateException("no offset lookup for auto.offset.reset=none");
    };
  }
}
