package dev.runnel.server.grpc;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a broker may be working on at once: a number of client requests of any kind
 * ({@code max.inflight.requests}), and bytes of produce requests ({@code
 * max.inflight.produce.bytes}), whose batches stay on the heap until their Raft entry commits. A
 * count alone does not bound memory: 1,024 requests of 16 MiB are 16 GiB. Over either limit a
 * request is refused at once with BROKER_BUSY, which clients retry after a back-off; nothing
 * waits here.
 */
public final class InflightBudget {
  private final int maxRequests;
  private final long maxProduceBytes;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong produceBytes = new AtomicLong();

  /**
   * @param maxRequests requests of any kind at once, at least 1
   * @param maxProduceBytes produce request bytes at once; at least the largest request accepted,
   *     so that one request alone always fits
   */
  public InflightBudget(int maxRequests, long maxProduceBytes) {
    if (maxRequests < 1 || maxProduceBytes < 1) {
      throw new IllegalArgumentException("limits must be positive, got " + maxRequests
          + " requests and " + maxProduceBytes + " bytes");
    }
    this.maxRequests = maxRequests;
    this.maxProduceBytes = maxProduceBytes;
  }

  /**
   * Takes one request and {@code bytes} of produce payload from the budget.
   *
   * @param bytes the request's size for produce requests, 0 for every other kind
   * @throws ServiceException BROKER_BUSY, naming the limit, when either is reached; nothing taken
   */
  public void acquire(long bytes) {
    if (requests.incrementAndGet() > maxRequests) {
      requests.decrementAndGet();
      throw new ServiceException(ErrorCode.BROKER_BUSY, "broker has " + maxRequests
          + " requests in flight (max.inflight.requests); retry later");
    }
    if (bytes > 0 && produceBytes.addAndGet(bytes) > maxProduceBytes) {
      long held = produceBytes.addAndGet(-bytes);
      requests.decrementAndGet();
      throw new ServiceException(ErrorCode.BROKER_BUSY, "broker holds " + held
          + " bytes of produce requests, and this one (" + bytes + " bytes) would exceed "
          + maxProduceBytes + " (max.inflight.produce.bytes); retry later");
    }
  }

  /** Returns what {@link #acquire} took, once the request is answered. */
  public void release(long bytes) {
    if (bytes > 0) {
      produceBytes.addAndGet(-bytes);
    }
    requests.decrementAndGet();
  }

  /** Requests being worked on now. */
  public int requests() {
    return requests.get();
  }

  /** Bytes of produce requests being held now. */
  public long produceBytes() {
    return produceBytes.get();
  }
}
