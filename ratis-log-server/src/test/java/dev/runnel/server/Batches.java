package dev.runnel.server;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.Compression;
import dev.runnel.proto.v1.Record;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.proto.v1.RecordList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds and reads record batches in tests, as a client would. */
public final class Batches {
  private Batches() {}

  /** An uncompressed batch of string key/value records with a valid CRC, stamped now. */
  public static RecordBatch of(long producerId, int baseSequence, List<String[]> keyValues) {
    return of(producerId, baseSequence, keyValues, System.currentTimeMillis());
  }

  /** As {@link #of(long, int, List)} with a given timestamp for every record. */
  public static RecordBatch of(long producerId, int baseSequence, List<String[]> keyValues, long now) {
    RecordList.Builder list = RecordList.newBuilder();
    for (String[] kv : keyValues) {
      Record.Builder r = Record.newBuilder();
      if (kv[0] != null) {
        r.setKey(ByteString.copyFromUtf8(kv[0]));
      }
      r.setValue(ByteString.copyFromUtf8(kv[1]));
      list.addRecords(r);
    }
    ByteString records = list.build().toByteString();
    CRC32C crc = new CRC32C();
    crc.update(records.asReadOnlyByteBuffer());
    return RecordBatch.newBuilder().setFormatVersion(1).setCrc((int) crc.getValue())
        .setRecordCount(keyValues.size()).setBaseTimestampMs(now).setMaxTimestampMs(now)
        .setCompression(Compression.COMPRESSION_NONE).setProducerId(producerId)
        .setBaseSequence(baseSequence).setRecords(records).build();
  }

  public static RecordBatch values(String... values) {
    return of(0, 0, unkeyed(values));
  }

  /** Unkeyed records stamped with an old time (November 2023), for retention by age. */
  public static RecordBatch oldValues(String... values) {
    return of(0, 0, unkeyed(values), 1_700_000_000_000L);
  }

  private static List<String[]> unkeyed(String... values) {
    List<String[]> kv = new ArrayList<>();
    for (String v : values) {
      kv.add(new String[] {null, v});
    }
    return kv;
  }

  /** The records of a stored batch, as "key=value" strings. */
  public static List<String> decode(ByteString batch) throws Exception {
    RecordBatch b = RecordBatch.parseFrom(batch);
    List<String> out = new ArrayList<>();
    for (Record r : RecordList.parseFrom(b.getRecords()).getRecordsList()) {
      out.add((r.hasKey() ? r.getKey().toString(StandardCharsets.UTF_8) : "") + "="
          + r.getValue().toString(StandardCharsets.UTF_8));
    }
    return out;
  }
}
