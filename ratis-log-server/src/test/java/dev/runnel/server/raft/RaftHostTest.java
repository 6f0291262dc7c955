package dev.runnel.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local writes are submitted on the caller's thread, not handed to Ratis's per-division client
 * pool (whose caller would block until the pool thread had queued the request anyway).
 */
class RaftHostTest {
  @TempDir Path dir;

  /** Records which thread starts each transaction: the thread that submitted it, if direct. */
  static final class RecordingMachine extends BaseStateMachine {
    final List<String> startedOn = new CopyOnWriteArrayList<>();

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
      startedOn.add(Thread.currentThread().getName());
      return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      var entry = trx.getLogEntry();
      updateLastAppliedTermIndex(TermIndex.valueOf(entry));
      return CompletableFuture.completedFuture(
          Message.valueOf("applied " + entry.getStateMachineLogEntry().getLogData()
              .toString(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void writesAndWatchesRunOnTheCallingThreadAndAreApplied() throws Exception {
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(dir.toFile()));
    int port = freePort();
    GrpcConfigKeys.Server.setPort(props, port);
    GrpcConfigKeys.Server.setHost(props, "127.0.0.1");
    RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.randomUUID()),
        RaftPeer.newBuilder().setId(GroupIds.peerId(0)).setAddress("127.0.0.1:" + port).build());
    RecordingMachine machine = new RecordingMachine();

    try (RaftHost host = new RaftHost(0, props, gid -> machine, group, false)) {
      host.start();
      RaftGroupId gid = group.getGroupId();
      awaitLeader(host, gid);

      String caller = "runnel-test-submitter";
      CompletableFuture<RaftClientReply> write = new CompletableFuture<>();
      Thread t = new Thread(() -> host.write(gid, Message.valueOf("x"), 5_000)
          .whenComplete((r, e) -> {
            if (e != null) {
              write.completeExceptionally(e);
            } else {
              write.complete(r);
            }
          }), caller);
      t.start();
      t.join(10_000);
      RaftClientReply reply = write.get(10, TimeUnit.SECONDS);

      assertTrue(reply.isSuccess(), reply.toString());
      assertEquals("applied x", reply.getMessage().getContent().toString(StandardCharsets.UTF_8));
      assertEquals(List.of(caller), machine.startedOn,
          "the transaction was started on the submitting thread, with no hand-off");
      RaftClientReply watch = host.watchAll(gid, reply.getLogIndex(), 5_000).get(10, TimeUnit.SECONDS);
      assertTrue(watch.isSuccess(), watch.toString());

      Throwable unknownGroup = host.write(RaftGroupId.randomId(), Message.valueOf("y"), 1_000)
          .handle((r, e) -> e != null ? e : r.isSuccess() ? null : r.getException())
          .get(10, TimeUnit.SECONDS);
      assertNotNull(unknownGroup, "a write to a group this host does not have fails");
    }
  }

  private static void awaitLeader(RaftHost host, RaftGroupId gid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (host.division(gid).map(d -> d.getInfo().isLeaderReady()).orElse(false)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader for " + gid + " within 30 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
