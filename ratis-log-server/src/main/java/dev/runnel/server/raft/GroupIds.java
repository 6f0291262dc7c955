package dev.runnel.server.raft;

import dev.runnel.server.common.PartitionId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Raft group and peer identities. Ratis re-opens every group directory at restart and asks the
 * state-machine registry for each by group id alone, so the metadata group has a fixed id and
 * partition groups ids derived from (topic id, group index): a re-created topic has a new topic id
 * and therefore new groups, and stale directories can never be mistaken for it.
 */
public final class GroupIds {

  /** The cluster metadata group. Fixed; never reused for anything else. */
  public static final RaftGroupId METADATA =
      RaftGroupId.valueOf(UUID.fromString("00000000-0000-4000-8000-00000000a11a"));

  private GroupIds() {}

  public static boolean isMetadata(RaftGroupId id) {
    return METADATA.equals(id);
  }

  /**
   * Name-based (version 3) UUID of the topic id and the index of one of the topic's groups (see
   * {@code raft.groups.per.topic}): stable on every broker.
   */
  public static RaftGroupId forTopicGroup(UUID topicId, int groupIndex) {
    ByteBuffer b = ByteBuffer.allocate(16 + 4 + 10);
    b.put(PartitionId.topicIdBytes(topicId)).putInt(groupIndex)
        .put("runnel-g1".getBytes(StandardCharsets.US_ASCII));
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(b.array()));
  }

  public static RaftPeerId peerId(int brokerId) {
    return RaftPeerId.valueOf(Integer.toString(brokerId));
  }

  /** The broker id of a peer, or -1 when the peer id is not one of ours. */
  public static int brokerId(RaftPeerId peer) {
    if (peer == null) {
      return -1;
    }
    try {
      return Integer.parseInt(peer.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
