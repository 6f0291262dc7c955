package dev.runnel.server.raft;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteOutput;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Conversions between our protobuf messages and Ratis messages. Ratis shades its own protobuf, so
 * messages cross as bytes. Both directions share the bytes instead of copying them: a record batch
 * crosses here on every replica, and each copy was a batch-sized allocation per apply.
 */
public final class RaftMessages {
  private RaftMessages() {}

  public static Message of(MessageLite m) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(m.toByteArray()));
  }

  public static ByteString bytes(MessageLite m) {
    return UnsafeByteOperations.unsafeWrap(m.toByteArray());
  }

  /**
   * A read-only view for parsing with a copy: for messages kept long after the entry (metadata
   * state), which must not pin or share the entry's bytes.
   */
  public static ByteBuffer buffer(Message m) {
    return m.getContent().asReadOnlyByteBuffer();
  }

  public static ByteBuffer buffer(ByteString s) {
    return s.asReadOnlyByteBuffer();
  }

  /** Parses a Ratis message's content; see {@link #parse(ByteString, Parser)}. */
  public static <T> T parse(Message m, Parser<T> parser) throws InvalidProtocolBufferException {
    return parse(m.getContent(), parser);
  }

  /**
   * Parses bytes held by Ratis. The parsed message's {@code bytes} fields are views of those bytes,
   * not copies, so it must not outlive them: use it while the log entry or reply is in hand.
   */
  public static <T> T parse(ByteString s, Parser<T> parser) throws InvalidProtocolBufferException {
    CodedInputStream in = view(s).newCodedInput();
    in.enableAliasing(true);
    return parser.parseFrom(in);
  }

  /**
   * The same bytes as a Ratis (shaded) ByteString, sharing the arrays behind {@code s} where
   * protobuf exposes them (flat and aliased strings, ropes of them), copying otherwise.
   */
  public static ByteString share(com.google.protobuf.ByteString s) {
    ShadedCollector c = new ShadedCollector();
    try {
      com.google.protobuf.UnsafeByteOperations.unsafeWriteTo(s, c);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: the collector does no I/O", e);
    }
    return c.result;
  }

  /** The same bytes as an unshaded ByteString, shared where Ratis lets us (it always does for
   * the array- and buffer-backed strings of log entries), copied otherwise. */
  static com.google.protobuf.ByteString view(ByteString s) {
    Collector c = new Collector();
    try {
      UnsafeByteOperations.unsafeWriteTo(s, c);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: the collector does no I/O", e);
    }
    return c.result;
  }

  /** Receives an unshaded ByteString's pieces; "lazy" pieces are immutable and may be shared. */
  private static final class ShadedCollector extends com.google.protobuf.ByteOutput {
    private ByteString result = ByteString.EMPTY;

    private void add(ByteString piece) {
      result = result.isEmpty() ? piece : result.concat(piece);
    }

    @Override
    public void write(byte value) {
      add(ByteString.copyFrom(new byte[] {value}));
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      add(ByteString.copyFrom(value, offset, length));
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      add(UnsafeByteOperations.unsafeWrap(value, offset, length));
    }

    @Override
    public void write(ByteBuffer value) {
      add(ByteString.copyFrom(value));
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      add(UnsafeByteOperations.unsafeWrap(value));
    }
  }

  /** Receives a shaded ByteString's pieces; "lazy" pieces are immutable and may be shared. */
  private static final class Collector extends ByteOutput {
    private com.google.protobuf.ByteString result = com.google.protobuf.ByteString.EMPTY;

    private void add(com.google.protobuf.ByteString piece) {
      result = result.isEmpty() ? piece : result.concat(piece);
    }

    @Override
    public void write(byte value) {
      add(com.google.protobuf.ByteString.copyFrom(new byte[] {value}));
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      add(com.google.protobuf.ByteString.copyFrom(value, offset, length));
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      add(com.google.protobuf.UnsafeByteOperations.unsafeWrap(value, offset, length));
    }

    @Override
    public void write(ByteBuffer value) {
      add(com.google.protobuf.ByteString.copyFrom(value));
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      add(com.google.protobuf.UnsafeByteOperations.unsafeWrap(value));
    }
  }
}
