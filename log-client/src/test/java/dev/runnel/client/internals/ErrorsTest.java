package dev.runnel.client.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.runnel.client.errors.ApiException;
import dev.runnel.client.errors.NetworkException;
import dev.runnel.client.errors.NotLeaderException;
import dev.runnel.client.errors.RetriableException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.TopicExistsException;
import dev.runnel.client.errors.UnknownServerException;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.LeaderHint;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void everyErrorCodeMapsToAnExceptionWhoseClassMatchesItsRetriability() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.ERROR_NONE || code == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      Errors.Mapping m = Errors.table().get(code);
      assertNotNull(m, code + " has no mapping");
      ApiException e = Errors.exception(code, "boom");
      assertEquals("boom", e.getMessage());
      assertEquals(m.retriable(), e instanceof RetriableException, code + ": table and class disagree");
      assertEquals(m.retriable(), Errors.isRetriable(code));
    }
  }

  @Test
  void retriabilityFollowsTheProtoDocumentation() {
    for (ErrorCode c : new ErrorCode[] {ErrorCode.NOT_LEADER, ErrorCode.LEADER_NOT_AVAILABLE,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.REQUEST_TIMED_OUT, ErrorCode.BROKER_BUSY,
        ErrorCode.UNKNOWN_SERVER_ERROR, ErrorCode.CONTROLLER_NOT_AVAILABLE, ErrorCode.STORAGE_ERROR,
        ErrorCode.NOT_ENOUGH_REPLICAS, ErrorCode.BROKER_NOT_AVAILABLE}) {
      assertTrue(Errors.isRetriable(c), c.toString());
    }
    for (ErrorCode c : new ErrorCode[] {ErrorCode.INVALID_TOPIC, ErrorCode.TOPIC_ALREADY_EXISTS,
        ErrorCode.RECORD_TOO_LARGE, ErrorCode.CORRUPT_BATCH, ErrorCode.INVALID_REQUEST}) {
      assertTrue(!Errors.isRetriable(c), c.toString());
    }
  }

  @Test
  void emptyBrokerMessageIsReplacedByTheCodeName() {
    assertEquals("topic already exists", Errors.exception(ErrorCode.TOPIC_ALREADY_EXISTS, "").getMessage());
  }

  @Test
  void grpcStatusWithErrorDetailMapsThroughTheTable() {
    ErrorDetail detail = ErrorDetail.newBuilder().setCode(ErrorCode.NOT_LEADER)
        .setMessage("broker 1 does not lead t-0")
        .setLeader(LeaderHint.newBuilder().setBrokerId(2).setAddress("h:2")).build();
    com.google.rpc.Status st = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.FAILED_PRECONDITION.value()).setMessage("x").addDetails(Any.pack(detail))
        .build();
    RuntimeException wire = StatusProto.toStatusRuntimeException(st);
    RunnelException e = GrpcErrors.toException(wire, "Produce");
    assertTrue(e instanceof NotLeaderException, e.getClass().getName());
    assertEquals("broker 1 does not lead t-0", e.getMessage());
    assertEquals(2, GrpcErrors.detail(wire).orElseThrow().getLeader().getBrokerId());

    RuntimeException exists = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(6).addDetails(Any.pack(ErrorDetail.newBuilder()
            .setCode(ErrorCode.TOPIC_ALREADY_EXISTS).setMessage("topic 'a' exists").build())).build());
    assertTrue(GrpcErrors.toException(exists, "CreateTopic") instanceof TopicExistsException);
  }

  @Test
  void plainGrpcStatusesMapByCode() {
    assertTrue(GrpcErrors.toException(Status.UNAVAILABLE.asRuntimeException(), "Fetch")
        instanceof NetworkException);
    RunnelException t = GrpcErrors.toException(Status.DEADLINE_EXCEEDED.withDescription("slow")
        .asRuntimeException(), "Produce to broker 3");
    assertTrue(t instanceof TimeoutException);
    assertTrue(t.getMessage().contains("Produce to broker 3"), t.getMessage());
    assertTrue(GrpcErrors.toException(Status.INTERNAL.asRuntimeException(), "x")
        instanceof UnknownServerException);
  }
}
