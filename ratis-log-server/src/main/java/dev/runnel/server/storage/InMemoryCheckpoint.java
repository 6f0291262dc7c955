package dev.runnel.server.storage;

import dev.runnel.proto.internal.PartitionMeta;
import dev.runnel.server.common.AppliedIndex;
import dev.runnel.server.common.PartitionId;
import dev.runnel.server.storage.InMemoryPartitionStore.Entry;
import dev.runnel.server.storage.InMemoryPartitionStore.Partition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The checkpoint file of {@link InMemoryPartitionStore}: one file, big-endian, checksummed.
 *
 * <pre>
 * "RNLMEMS1" | applied term(8) | applied index(8) | partition count(4)
 *   per partition, in PartitionId order:
 *   topic id(16) | partition(4) | meta length(4) | PartitionMeta (with producers) | batch count(4)
 *     per batch: base offset(8) | record count(4) | max timestamp(8) | length(4) | bytes
 * CRC-32C of everything above(4)
 * </pre>
 */
final class InMemoryCheckpoint {

  static final String FILE_NAME = "partition-store.bin";
  private static final byte[] MAGIC = "RNLMEMS1".getBytes(StandardCharsets.US_ASCII);

  private InMemoryCheckpoint() {}

  static void write(Path target, AppliedIndex applied, Map<PartitionId, Partition> partitions) {
    if (Files.exists(target)) {
      throw new IllegalArgumentException("checkpoint target already exists: " + target);
    }
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeLong(applied.term());
      out.writeLong(applied.index());
      out.writeInt(partitions.size());
      for (PartitionId id : new TreeMap<>(partitions).keySet()) {
        final Partition p = partitions.get(id);
        out.write(PartitionId.topicIdBytes(id.topicId()));
        out.writeInt(id.partition());
        final byte[] meta = p.state().toMeta(true).toByteArray();
        out.writeInt(meta.length);
        out.write(meta);
        out.writeInt(p.batches().size());
        for (Entry e : p.batches().values()) {
          out.writeLong(e.baseOffset());
          out.writeInt(e.recordCount());
          out.writeLong(e.maxTimestampMs());
          out.writeInt(e.batch().length);
          out.write(e.batch());
        }
      }
      final CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      Files.createDirectories(target);
      Files.write(target.resolve(FILE_NAME), bytes.toByteArray());
    } catch (IOException e) {
      throw new StorageException("cannot write checkpoint to " + target + ": " + e.getMessage(), e);
    }
  }

  static InMemoryPartitionStore read(Path dir, int maxProducers) {
    final Path file = dir.resolve(FILE_NAME);
    try {
      final byte[] all = Files.readAllBytes(file);
      if (all.length < MAGIC.length + 4
          || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
        throw new StorageException(file + " is not an in-memory store checkpoint");
      }
      final CRC32C crc = new CRC32C();
      crc.update(all, 0, all.length - 4);
      if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) {
        throw new StorageException(file + " is damaged: checksum mismatch");
      }
      final DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - 4 - MAGIC.length));
      final AppliedIndex applied = new AppliedIndex(in.readLong(), in.readLong());
      final int count = in.readInt();
      final Map<PartitionId, Partition> partitions = new HashMap<>();
      for (int i = 0; i < count; i++) {
        final PartitionId id = new PartitionId(new UUID(in.readLong(), in.readLong()), in.readInt());
        partitions.put(id, readPartition(in, id, maxProducers));
      }
      return new InMemoryPartitionStore(maxProducers, applied, partitions);
    } catch (IOException | IllegalArgumentException e) {
      throw new StorageException("cannot read checkpoint " + file + ": " + e, e);
    }
  }

  private static Partition readPartition(DataInputStream in, PartitionId id, int maxProducers)
      throws IOException {
    final PartitionMeta meta = PartitionMeta.parseFrom(in.readNBytes(in.readInt()));
    final PartitionState state = PartitionState.fromMeta(meta, maxProducers);
    final TreeMap<Long, Entry> batches = new TreeMap<>();
    final int batchCount = in.readInt();
    long expectedBase = meta.getLogStartOffset();
    for (int j = 0; j < batchCount; j++) {
      final Entry e = new Entry(in.readLong(), in.readInt(), in.readLong(),
          in.readNBytes(in.readInt()));
      if (e.baseOffset() != expectedBase || e.recordCount() < 1) {
        throw new StorageException("checkpoint batch at " + e.baseOffset() + " of partition " + id
            + " does not follow offset " + expectedBase);
      }
      batches.put(e.baseOffset(), e);
      expectedBase = e.lastOffset() + 1;
    }
    if (expectedBase != meta.getNextOffset() || batchCount != meta.getBatchCount()) {
      throw new StorageException("checkpoint of partition " + id + " holds batches up to "
          + expectedBase + " but its meta says " + meta.getNextOffset());
    }
    return new Partition(state, batches);
  }
}
