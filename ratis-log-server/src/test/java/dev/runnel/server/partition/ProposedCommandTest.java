package dev.runnel.server.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.AppendCommand;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.proto.internal.PartitionKey;
import dev.runnel.proto.internal.TrimCommand;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProposedCommandTest {
  private final Random random = new Random(42);

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private PartitionKey key(int partition) {
    return PartitionKey.newBuilder().setTopicId(ByteString.copyFrom(bytes(16))).setPartition(partition)
        .build();
  }

  private static void assertSameBytesAsProtobuf(PartitionCommand cmd) {
    ProposedCommand proposed = ProposedCommand.of(cmd);
    assertArrayEquals(cmd.toByteArray(), proposed.getContent().toByteArray(), cmd.toString());
    assertSame(cmd, proposed.command());
  }

  @Test
  void appendCommandsSerialiseExactlyAsProtobufDoes() {
    // Sizes around the varint boundaries (127/128, 16383/16384) and an empty batch.
    int[] sizes = {0, 1, 100, 127, 128, 129, 16_383, 16_384, 131_072, 2_000_000};
    for (int size : sizes) {
      assertSameBytesAsProtobuf(PartitionCommand.newBuilder().setAppend(AppendCommand.newBuilder()
          .addBatches(AppendBatch.newBuilder().setPartition(key(3))
              .setBatch(ByteString.copyFrom(bytes(size))))).build());
    }
    AppendCommand.Builder many = AppendCommand.newBuilder();
    for (int i = 0; i < 40; i++) {
      AppendBatch.Builder b = AppendBatch.newBuilder().setBatch(ByteString.copyFrom(bytes(random.nextInt(3000))));
      if (i % 3 != 0) {
        b.setPartition(key(i)); // some without a partition: the field is left out
      }
      many.addBatches(b);
    }
    assertSameBytesAsProtobuf(PartitionCommand.newBuilder().setAppend(many).build());
    assertSameBytesAsProtobuf(PartitionCommand.newBuilder().setAppend(AppendCommand.getDefaultInstance()).build());
    assertSameBytesAsProtobuf(PartitionCommand.newBuilder().setAppend(AppendCommand.newBuilder()
        .addBatches(AppendBatch.getDefaultInstance())).build());
  }

  @Test
  void otherCommandsAndAnEmptyOneSerialiseAsProtobufDoes() {
    assertSameBytesAsProtobuf(PartitionCommand.newBuilder().setTrim(TrimCommand.newBuilder()
        .setPartition(key(1)).setUpToOffset(123_456_789L)).build());
    assertSameBytesAsProtobuf(PartitionCommand.getDefaultInstance());
  }

  @Test
  void batchesAreSharedNotCopied() {
    byte[] request = bytes(10_000);
    ByteString view = UnsafeByteOperations.unsafeWrap(request, 1_000, 5_000); // as an aliased parse gives
    PartitionCommand cmd = PartitionCommand.newBuilder().setAppend(AppendCommand.newBuilder()
        .addBatches(AppendBatch.newBuilder().setPartition(key(0)).setBatch(view))).build();
    var content = ProposedCommand.of(cmd).getContent();
    int at = content.size() - 5_000 + 17; // byte 17 of the batch: the batch is the content's tail
    byte before = content.byteAt(at);
    request[1_000 + 17] ^= 0x5a; // nobody writes a request's array; here it shows the rope reads it
    assertEquals((byte) (before ^ 0x5a), content.byteAt(at));
  }
}
