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
