package dev.runnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {

  private static final byte[] DATA = new byte[10_000];

  static {
    for (int i = 0; i < DATA.length; i++) {
      DATA[i] = (byte) (i * 31 + 7);
    }
  }

  private static int expected(int offset, int length) {
    final CRC32C crc = new CRC32C();
    crc.update(DATA, offset, length);
    return (int) crc.getValue();
  }

  @Test
  void everyShapeOfByteStringGivesTheChecksumOfItsBytes() {
    assertEquals(expected(0, DATA.length), Crc32c.of(ByteString.copyFrom(DATA)));
    // A view into a larger array, as parsing with aliasing makes for a batch's records.
    assertEquals(expected(100, 5_000), Crc32c.of(UnsafeByteOperations.unsafeWrap(DATA, 100, 5_000)));
    assertEquals(expected(100, 5_000), Crc32c.of(ByteString.copyFrom(DATA).substring(100, 5_100)));
    final ByteString rope = ByteString.copyFrom(DATA, 0, 3_000)
        .concat(UnsafeByteOperations.unsafeWrap(DATA, 3_000, 7_000));
    assertTrue(rope.asReadOnlyByteBufferList().size() > 1, "expected a rope of several pieces");
    assertEquals(expected(0, DATA.length), Crc32c.of(rope));
    final ByteBuffer direct = ByteBuffer.allocateDirect(DATA.length).put(DATA).flip();
    assertEquals(expected(0, DATA.length), Crc32c.of(UnsafeByteOperations.unsafeWrap(direct)));
    assertEquals(expected(0, 0), Crc32c.of(ByteString.EMPTY));
    assertEquals(expected(10, 20), Crc32c.of(DATA, 10, 20));
  }

  @Test
  void oneFlippedBitChangesIt() {
    final byte[] copy = DATA.clone();
    copy[4_321] ^= 0x10;
    assertNotEquals(Crc32c.of(ByteString.copyFrom(DATA)), Crc32c.of(ByteString.copyFrom(copy)));
  }
}
