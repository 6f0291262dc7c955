package dev.runnel.server.common;

import com.google.protobuf.ByteString;
import dev.runnel.proto.internal.PartitionKey;

/** Conversions between {@link PartitionId} and its wire form in internal commands. */
public final class PartitionKeys {
  private PartitionKeys() {}

  public static PartitionId toId(PartitionKey k) {
    return new PartitionId(PartitionId.topicIdFromBytes(k.getTopicId().toByteArray()), k.getPartition());
  }

  public static PartitionKey toKey(PartitionId p) {
    return PartitionKey.newBuilder().setTopicId(ByteString.copyFrom(PartitionId.topicIdBytes(p.topicId())))
        .setPartition(p.partition()).build();
  }
}
