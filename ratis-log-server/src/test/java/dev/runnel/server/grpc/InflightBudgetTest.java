package dev.runnel.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import org.junit.jupiter.api.Test;

class InflightBudgetTest {

  @Test
  void requestsBeyondTheCountAreRefusedAndTakeNothing() {
    InflightBudget b = new InflightBudget(2, 1000);
    b.acquire(0);
    b.acquire(100);
    ServiceException e = assertThrows(ServiceException.class, () -> b.acquire(0));
    assertEquals(ErrorCode.BROKER_BUSY, e.code());
    assertEquals("broker has 2 requests in flight (max.inflight.requests); retry later",
        e.getMessage());
    assertEquals(2, b.requests());
    assertEquals(100, b.produceBytes());
    b.release(0);
    b.acquire(0);
    assertEquals(2, b.requests());
  }

  @Test
  void produceBytesBeyondTheBudgetAreRefusedAndTakeNothing() {
    InflightBudget b = new InflightBudget(100, 1000);
    b.acquire(600);
    b.acquire(400);
    ServiceException e = assertThrows(ServiceException.class, () -> b.acquire(1));
    assertEquals(ErrorCode.BROKER_BUSY, e.code());
    assertEquals("broker holds 1000 bytes of produce requests, and this one (1 bytes) would exceed "
        + "1000 (max.inflight.produce.bytes); retry later", e.getMessage());
    assertEquals(2, b.requests());
    assertEquals(1000, b.produceBytes());
    // Requests without payload still pass while the bytes are used up.
    b.acquire(0);
    b.release(0);
    b.release(600);
    b.acquire(600);
    b.release(600);
    b.release(400);
    assertEquals(0, b.requests());
    assertEquals(0, b.produceBytes());
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new InflightBudget(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new InflightBudget(1, 0));
  }
}
