package dev.runnel.client.internals.record;

import dev.runnel.client.Header;
import java.util.List;

/**
 * One record in serialized form: what the producer encodes and the consumer decodes.
 *
 * @param timestampMs absolute timestamp in ms since the epoch
 * @param key key bytes, or null
 * @param value value bytes, or null
 * @param headers headers in order (never null)
 */
public record RawRecord(long timestampMs, byte[] key, byte[] value, List<Header> headers) {

  /** Per-record framing overhead assumed when estimating sizes (tags, lengths, timestamp delta). */
  public static final int OVERHEAD_BYTES = 24;

  /** An upper-bound estimate of the record's encoded size, used for batching and memory limits. */
  public int estimatedSize() {
    long size = OVERHEAD_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header h : headers) {
      size += 8 + h.key().length() * 3L + (h.value() == null ? 0 : h.value().length);
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }
}
