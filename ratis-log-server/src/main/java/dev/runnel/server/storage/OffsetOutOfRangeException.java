package dev.runnel.server.storage;

/** A read asked for an offset outside the partition's stored range. */
public final class OffsetOutOfRangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long logStartOffset;
  private final long nextOffset;

  public OffsetOutOfRangeException(long requested, long logStartOffset, long nextOffset) {
    super("offset " + requested + " is outside the stored range [" + logStartOffset + ", "
        + nextOffset + "]");
    this.logStartOffset = logStartOffset;
    this.nextOffset = nextOffset;
  }

  public long logStartOffset() {
    return logStartOffset;
  }

  public long nextOffset() {
    return nextOffset;
  }
}
