package dev.runnel.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The ordered headers of a record. Mutable until the record is handed to {@code Producer.send}, after
 * which the producer makes it read-only (changing headers of a record in flight would be a race).
 */
public final class Headers implements Iterable<Header> {
  private final List<Header> headers;
  private volatile boolean readOnly;

  public Headers() {
    this.headers = new ArrayList<>();
  }

  public Headers(Iterable<Header> initial) {
    this();
    if (initial != null) {
      initial.forEach(this::add);
    }
  }

  /** Appends a header. */
  public Headers add(Header header) {
    checkWritable();
    headers.add(header);
    return this;
  }

  /** Appends a header with a byte value. */
  public Headers add(String key, byte[] value) {
    return add(new Header(key, value));
  }

  /** Appends a header whose value is the UTF-8 encoding of {@code value}. */
  public Headers add(String key, String value) {
    return add(Header.ofString(key, value));
  }

  /** Removes every header with this key. */
  public Headers remove(String key) {
    checkWritable();
    headers.removeIf(h -> h.key().equals(key));
    return this;
  }

  /** The last header with this key, or null. */
  public Header lastHeader(String key) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).key().equals(key)) {
        return headers.get(i);
      }
    }
    return null;
  }

  /** Every header with this key, in order. */
  public List<Header> headers(String key) {
    List<Header> out = new ArrayList<>();
    for (Header h : headers) {
      if (h.key().equals(key)) {
        out.add(h);
      }
    }
    return out;
  }

  public int size() {
    return headers.size();
  }

  public boolean isEmpty() {
    return headers.isEmpty();
  }

  /** A read-only view of all headers, in order. */
  public List<Header> toList() {
    return Collections.unmodifiableList(headers);
  }

  /** Makes further changes fail; called by the producer when the record is sent. */
  public void setReadOnly() {
    readOnly = true;
  }

  @Override
  public Iterator<Header> iterator() {
    return toList().iterator();
  }

  private void checkWritable() {
    if (readOnly) {
      throw new IllegalStateException("headers are read-only once the record has been sent");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers h && headers.equals(h.headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  @Override
  public String toString() {
    return headers.toString();
  }
}
