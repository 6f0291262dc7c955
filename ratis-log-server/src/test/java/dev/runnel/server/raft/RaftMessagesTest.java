package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendCommand;
import dev.runnel.proto.internal.PartitionCommand;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;

class RaftMessagesTest {
  private static final byte[] BATCH = "a record batch".getBytes();

  private static byte[] command() {
    return PartitionCommand.newBuilder().setAppend(AppendCommand.newBuilder().addBatches(
        AppendBatch.newBuilder().setBatch(com.google.protobuf.ByteString.copyFrom(BATCH))))
        .build().toByteArray();
  }

  private static com.google.protobuf.ByteString batchOf(PartitionCommand c) {
    return c.getAppend().getBatches(0).getBatch();
  }

  @Test
  void parsedBatchesAreViewsOfTheEntryBytesNotCopies() throws Exception {
    byte[] entry = command();
    PartitionCommand parsed =
        RaftMessages.parse(UnsafeByteOperations.unsafeWrap(entry), PartitionCommand.parser());
    assertEquals("a record batch", batchOf(parsed).toStringUtf8());
    // Only a shared array shows a change made after parsing: this is what "no copy" means here.
    int at = indexOf(entry, BATCH);
    entry[at] = 'A';
    assertEquals("A record batch", batchOf(parsed).toStringUtf8());
  }

  @Test
  void entriesMadeOfSeveralPiecesOrBuffersParseTheSame() throws Exception {
    byte[] entry = command();
    ByteString rope = ByteString.copyFrom(entry, 0, 5).concat(
        ByteString.copyFrom(entry, 5, entry.length - 5));
    ByteBuffer direct = ByteBuffer.allocateDirect(entry.length).put(entry).flip();
    ByteString readOnly = UnsafeByteOperations.unsafeWrap(ByteBuffer.wrap(entry).asReadOnlyBuffer());
    for (ByteString s : new ByteString[] {rope, UnsafeByteOperations.unsafeWrap(direct), readOnly}) {
      PartitionCommand parsed = RaftMessages.parse(s, PartitionCommand.parser());
      assertEquals("a record batch", batchOf(parsed).toStringUtf8());
    }
  }

  @Test
  void sharedStringsKeepTheBytesAndTheirArrays() {
    // Each half above protobuf's 128 bytes, below which concat copies instead of making a rope.
    byte[] a = ("first half, " + "-".repeat(200)).getBytes();
    byte[] b = ("second half" + "+".repeat(200)).getBytes();
    com.google.protobuf.ByteString flat = com.google.protobuf.UnsafeByteOperations.unsafeWrap(a);
    com.google.protobuf.ByteString view = com.google.protobuf.UnsafeByteOperations.unsafeWrap(b, 7, 4);
    com.google.protobuf.ByteString rope = flat.concat(com.google.protobuf.UnsafeByteOperations.unsafeWrap(b));
    ByteString sharedRope = RaftMessages.share(rope);
    ByteString sharedView = RaftMessages.share(view);
    assertEquals(new String(a) + new String(b), sharedRope.toStringUtf8());
    assertEquals("half", sharedView.toStringUtf8());
    // A change to the arrays shows through: nothing was copied.
    a[0] = 'F';
    b[7] = 'H';
    assertEquals('F', sharedRope.byteAt(0));
    assertEquals('H', sharedRope.byteAt(a.length + 7));
    assertEquals("Half", sharedView.toStringUtf8());
    // Strings over a direct buffer have no array: they are still read correctly.
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put("xyz".getBytes()).flip();
    assertEquals("xyz", RaftMessages.share(com.google.protobuf.UnsafeByteOperations.unsafeWrap(direct))
        .toStringUtf8());
    assertEquals(0, RaftMessages.share(com.google.protobuf.ByteString.EMPTY).size());
  }

  @Test
  void unreadableBytesAreAProtocolErrorNotACrash() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThrows(InvalidProtocolBufferException.class, () -> RaftMessages.parse(
        UnsafeByteOperations.unsafeWrap(garbage), PartitionCommand.parser()));
    byte[] truncated = Arrays.copyOf(command(), command().length - 3);
    assertThrows(InvalidProtocolBufferException.class, () -> RaftMessages.parse(
        UnsafeByteOperations.unsafeWrap(truncated), PartitionCommand.parser()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
