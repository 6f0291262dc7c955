package dev.runnel.client.internals.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.runnel.client.CompressionType;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.client.errors.UnsupportedCompressionTypeException;
import dev.runnel.proto.v1.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/** Compression of a batch's records: LZ4 frame and Zstandard frame, as records.proto specifies. */
public final class Codecs {
  /** Zstandard level: the library default, a good speed/ratio balance for record data. */
  static final int ZSTD_LEVEL = 3;

  private Codecs() {}

  public static Compression toProto(CompressionType type) {
    return switch (type) {
      case NONE -> Compression.COMPRESSION_NONE;
      case LZ4 -> Compression.COMPRESSION_LZ4;
      case ZSTD -> Compression.COMPRESSION_ZSTD;
    };
  }

  /** Compresses {@code raw} with the codec. */
  public static byte[] compress(byte[] raw, Compression codec) {
    return switch (codec) {
      case COMPRESSION_NONE -> raw;
      case COMPRESSION_LZ4 -> lz4(raw);
      case COMPRESSION_ZSTD -> Zstd.compress(raw, ZSTD_LEVEL);
      default -> throw new UnsupportedCompressionTypeException("unsupported codec " + codec);
    };
  }

  private static byte[] lz4(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
    // 64 KiB blocks: the library default (4 MiB) would allocate 4 MiB buffers for every batch.
    try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out,
        LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB)) {
      lz4.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException("LZ4 compression to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decompresses at most {@code maxBytes}; more is treated as a corrupt (or hostile) batch rather than
   * risking an OutOfMemoryError.
   */
  public static ByteString decompress(ByteString data, Compression codec, int maxBytes) {
    try {
      return switch (codec) {
        // Uncompressed records are used where they are: no copy.
        case COMPRESSION_NONE -> data;
        case COMPRESSION_LZ4 -> UnsafeByteOperations.unsafeWrap(
            readBounded(new LZ4FrameInputStream(data.newInput()), maxBytes));
        case COMPRESSION_ZSTD -> UnsafeByteOperations.unsafeWrap(
            readBounded(new ZstdInputStreamNoFinalizer(data.newInput()), maxBytes));
        default -> throw new UnsupportedCompressionTypeException("the batch uses codec " + codec
            + ", which this client does not support");
      };
    } catch (IOException | RuntimeException e) {
      if (e instanceof CorruptRecordException || e instanceof UnsupportedCompressionTypeException) {
        throw (RuntimeException) e;
      }
      throw new CorruptRecordException("could not decompress " + codec + " records: " + e.getMessage(),
          e);
    }
  }

  private static byte[] readBounded(InputStream in, int maxBytes) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new CorruptRecordException("decompressed records exceed the limit of " + maxBytes
              + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
