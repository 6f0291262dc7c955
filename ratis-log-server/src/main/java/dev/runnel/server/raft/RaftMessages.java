package dev.runnel.server.raft;

import com.google.protobuf.MessageLite;
import java.nio.ByteBuffer;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Conversions between our protobuf messages and Ratis messages. Ratis shades its own protobuf, so
 * messages cross as bytes; wrapping avoids a copy where the bytes are not modified afterwards.
 */
public final class RaftMessages {
  private RaftMessages() {}

  public static Message of(MessageLite m) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(m.toByteArray()));
  }

  public static ByteString bytes(MessageLite m) {
    return UnsafeByteOperations.unsafeWrap(m.toByteArray());
  }

  /** A read-only view of the message content, for parsing without a copy. */
  public static ByteBuffer buffer(Message m) {
    return m.getContent().asReadOnlyByteBuffer();
  }

  public static ByteBuffer buffer(ByteString s) {
    return s.asReadOnlyByteBuffer();
  }
}
