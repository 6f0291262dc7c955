package dev.runnel.server.service;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ListOffsetsPartition;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.ListOffsetsResult;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.service.TopicDirectory.Target;
import dev.runnel.server.storage.PartitionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** ListOffsets: earliest, latest or by timestamp, answered by each partition's leader. */
public final class OffsetsHandler {
  public static final long LATEST = -1;
  public static final long EARLIEST = -2;

  private final int selfId;
  private final TopicDirectory topics;
  private final Peers peers;

  public OffsetsHandler(int selfId, TopicDirectory topics, Peers peers) {
    this.selfId = selfId;
    this.topics = topics;
    this.peers = peers;
  }

  public CompletableFuture<ListOffsetsResponse> listOffsets(ListOffsetsRequest req, boolean forwarded) {
    if (req.getPartitionsCount() > FetchHandler.MAX_PARTITIONS_PER_FETCH) {
      throw new ServiceException(ErrorCode.INVALID_REQUEST, "too many partitions in one request");
    }
    List<ListOffsetsResult> done = new ArrayList<>();
    Map<Integer, ListOffsetsRequest.Builder> remote = new LinkedHashMap<>();
    for (ListOffsetsPartition p : req.getPartitionsList()) {
      try {
        Target t = topics.resolve(p.getTopic(), p.getPartition());
        Optional<Replica> r = topics.local(t);
        if (r.isPresent() && r.get().isLeader()) {
          done.add(local(p, t, r.get()));
          continue;
        }
        int leader = topics.leaderOf(t);
        if (leader < 0 || leader == selfId || forwarded) {
          throw leader < 0 ? new ServiceException(ErrorCode.LEADER_NOT_AVAILABLE, "no leader right now")
              : ServiceException.notLeader("this partition", topics.hint(leader));
        }
        remote.computeIfAbsent(leader, l -> ListOffsetsRequest.newBuilder()).addPartitions(p);
      } catch (ServiceException e) {
        done.add(result(p).setError(e.code()).setErrorMessage(e.getMessage()).build());
      }
    }
    List<CompletableFuture<ListOffsetsResponse>> fwd = new ArrayList<>();
    remote.forEach((leader, sub) -> fwd.add(peers.listOffsets(leader, sub.build())));
    return CompletableFuture.allOf(fwd.toArray(CompletableFuture[]::new)).handle((v, t) -> {
      ListOffsetsResponse.Builder resp = ListOffsetsResponse.newBuilder().addAllResults(done);
      int i = 0;
      for (ListOffsetsRequest.Builder sub : remote.values()) {
        CompletableFuture<ListOffsetsResponse> f = fwd.get(i++);
        if (!f.isCompletedExceptionally()) {
          resp.addAllResults(f.join().getResultsList());
        } else {
          sub.getPartitionsList().forEach(p -> resp.addResults(result(p)
              .setError(ErrorCode.LEADER_NOT_AVAILABLE).setErrorMessage("leader unreachable")));
        }
      }
      return resp.build();
    });
  }

  private ListOffsetsResult local(ListOffsetsPartition p, Target t, Replica r) {
    PartitionStore s = r.store().orElseThrow(() ->
        new ServiceException(ErrorCode.STORAGE_ERROR, "replica is not open"));
    long ts = p.getTimestampMs();
    PartitionStore.PartitionOffsets o = s.offsets(t.id());
    if (ts == LATEST) {
      return result(p).setOffset(o.nextOffset()).build();
    }
    if (ts == EARLIEST) {
      return result(p).setOffset(o.logStartOffset()).build();
    }
    if (ts < 0) {
      throw new ServiceException(ErrorCode.INVALID_TIMESTAMP, "timestamp " + ts
          + " is not valid: use -1 (latest), -2 (earliest) or a time in ms");
    }
    return s.offsetForTimestamp(t.id(), ts)
        .map(x -> result(p).setOffset(x.offset()).setTimestampMs(x.timestampMs()).build())
        .orElseGet(() -> result(p).setOffset(-1).build());
  }

  private static ListOffsetsResult.Builder result(ListOffsetsPartition p) {
    return ListOffsetsResult.newBuilder().setTopic(p.getTopic()).setPartition(p.getPartition())
        .setTimestampMs(-1);
  }
}
