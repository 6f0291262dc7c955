package dev.runnel.server.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.runnel.proto.v1.RecordBatch;
import java.io.IOException;

/** Reads the header of a batch that was validated before it entered the Raft log. */
public final class BatchHeaders {
  private BatchHeaders() {}

  /**
   * Parses without checking the CRC (the leader checked it before proposing). The records field is
   * aliased rather than copied.
   */
  public static BatchHeader read(ByteString batch) throws IOException {
    int size = batch.size();
    CodedInputStream in = batch.newCodedInput();
    in.enableAliasing(true);
    RecordBatch b = RecordBatch.parseFrom(in);
    return new BatchHeader(b.getFormatVersion(), b.getCrc(), b.getRecordCount(),
        b.getBaseTimestampMs(), b.getMaxTimestampMs(), b.getCompression(), b.getProducerId(),
        b.getProducerEpoch(), b.getBaseSequence(), size);
  }
}
