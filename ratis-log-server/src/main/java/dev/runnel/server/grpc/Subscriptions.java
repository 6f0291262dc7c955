package dev.runnel.server.grpc;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.SubscribeRequest;
import dev.runnel.server.common.ServiceException;
import dev.runnel.server.service.FetchHandler;
import dev.runnel.server.service.Replica;
import dev.runnel.server.service.TopicDirectory;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-streaming Subscribe: pushes a partition's batches from an offset as they are applied.
 * Sends only while the client's flow-control window is open (isReady), and waits on applies rather
 * than polling, so an idle subscription costs no thread.
 */
public final class Subscriptions {
  private final FetchHandler fetch;
  private final TopicDirectory topics;
  private final Executor executor;
  private final int maxSubscriptions;
  private final int defaultMaxBytes;
  private final AtomicInteger active = new AtomicInteger();

  public Subscriptions(FetchHandler fetch, TopicDirectory topics, Executor executor,
      int maxSubscriptions, int defaultMaxBytes) {
    this.fetch = fetch;
    this.topics = topics;
    this.executor = executor;
    this.maxSubscriptions = maxSubscriptions;
    this.defaultMaxBytes = defaultMaxBytes;
  }

  public void start(SubscribeRequest req, ServerCallStreamObserver<FetchedPartition> out) {
    TopicDirectory.Target t = topics.resolve(req.getTopic(), req.getPartition());
    Optional<Replica> r = topics.local(t);
    if (r.isEmpty() || !(req.getAllowFollower() || r.get().isLeader())) {
      int leader = topics.leaderOf(t);
      throw leader < 0 ? new ServiceException(ErrorCode.LEADER_NOT_AVAILABLE, "no leader right now")
          : ServiceException.notLeader("partition " + req.getPartition() + " of '" + req.getTopic()
              + "'; subscribe to the leader", topics.hint(leader));
    }
    if (active.incrementAndGet() > maxSubscriptions) {
      active.decrementAndGet();
      throw new ServiceException(ErrorCode.BROKER_BUSY, "broker has " + maxSubscriptions
          + " subscriptions (max.subscriptions)");
    }
    new Pump(req, r.get(), out).begin();
  }

  private final class Pump {
    private final SubscribeRequest req;
    private final Replica replica;
    private final ServerCallStreamObserver<FetchedPartition> out;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile long offset;

    Pump(SubscribeRequest req, Replica replica, ServerCallStreamObserver<FetchedPartition> out) {
      this.req = req;
      this.replica = replica;
      this.out = out;
      this.offset = req.getOffset();
    }

    void begin() {
      out.setOnCancelHandler(this::finish);
      out.setOnReadyHandler(this::schedule);
      schedule();
    }

    private void schedule() {
      if (!done.get() && running.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      try {
        while (!done.get() && out.isReady()) {
          var next = replica.nextAppend();
          FetchedPartition p = fetch.readOne(FetchPartition.newBuilder().setTopic(req.getTopic())
              .setPartition(req.getPartition()).setOffset(offset).build(),
              req.getMaxBytes() > 0 ? req.getMaxBytes() : defaultMaxBytes);
          if (p.getError() != ErrorCode.ERROR_NONE) {
            fail(new ServiceException(p.getError(), p.getErrorMessage()));
            return;
          }
          if (p.getBatchesCount() == 0) {
            running.set(false);
            next.thenRun(this::schedule);
            return;
          }
          var last = p.getBatches(p.getBatchesCount() - 1);
          offset = last.getBaseOffset() + recordCount(last);
          out.onNext(p);
        }
        running.set(false);
        // The window may have opened between the loop check and clearing the flag.
        if (out.isReady()) {
          schedule();
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private long recordCount(dev.runnel.proto.v1.FetchedBatch b) {
      try {
        return dev.runnel.server.record.BatchHeaders.read(b.getBatch()).recordCount();
      } catch (java.io.IOException e) {
        throw new ServiceException(ErrorCode.STORAGE_ERROR, "stored batch unreadable at " + b.getBaseOffset());
      }
    }

    private void fail(Throwable t) {
      if (done.compareAndSet(false, true)) {
        active.decrementAndGet();
        out.onError(ErrorMapper.toStatus(t));
      }
    }

    private void finish() {
      if (done.compareAndSet(false, true)) {
        active.decrementAndGet();
      }
    }
  }
}
