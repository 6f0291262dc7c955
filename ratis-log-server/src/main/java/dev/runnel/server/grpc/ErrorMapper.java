package dev.runnel.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.server.common.ServiceException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses: a {@link ServiceException}'s ErrorCode picks
 * the status code and its {@link ErrorDetail} travels in {@code google.rpc.Status.details}.
 * Anything else is an unexpected server error, logged here with its stack trace and reported to the
 * client without one.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  private static final Map<ErrorCode, Code> CODES = new EnumMap<>(ErrorCode.class);

  static {
    for (ErrorCode e : ErrorCode.values()) {
      if (e != ErrorCode.UNRECOGNIZED) {
        CODES.put(e, codeFor(e));
      }
    }
  }

  private ErrorMapper() {}

  private static Code codeFor(ErrorCode e) {
    return switch (e) {
      case ERROR_NONE -> Code.OK;
      case INVALID_REQUEST, INVALID_TOPIC, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
          INVALID_CONFIG, RECORD_TOO_LARGE, BATCH_TOO_LARGE, CORRUPT_BATCH, INVALID_TIMESTAMP,
          UNSUPPORTED_COMPRESSION -> Code.INVALID_ARGUMENT;
      case UNKNOWN_TOPIC_OR_PARTITION -> Code.NOT_FOUND;
      case TOPIC_ALREADY_EXISTS -> Code.ALREADY_EXISTS;
      case OFFSET_OUT_OF_RANGE -> Code.OUT_OF_RANGE;
      case REQUEST_TOO_LARGE, BROKER_BUSY, BROKER_CAPACITY_EXCEEDED -> Code.RESOURCE_EXHAUSTED;
      case OUT_OF_ORDER_SEQUENCE, UNKNOWN_PRODUCER_ID, TOPIC_DELETION_IN_PROGRESS -> Code.FAILED_PRECONDITION;
      case REQUEST_TIMED_OUT -> Code.DEADLINE_EXCEEDED;
      case NOT_LEADER, LEADER_NOT_AVAILABLE, CONTROLLER_NOT_AVAILABLE, STORAGE_ERROR,
          NOT_ENOUGH_REPLICAS, BROKER_NOT_AVAILABLE -> Code.UNAVAILABLE;
      case UNKNOWN_SERVER_ERROR, UNRECOGNIZED -> Code.INTERNAL;
    };
  }

  /** The gRPC status code used for an ErrorCode. */
  public static Code grpcCode(ErrorCode e) {
    return CODES.getOrDefault(e, Code.INTERNAL);
  }

  public static StatusRuntimeException toStatus(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof StatusRuntimeException s) {
      return s;
    }
    ErrorDetail detail;
    if (c instanceof ServiceException se) {
      detail = se.detail();
    } else {
      LOG.error("Unexpected error serving a request", c);
      detail = ErrorDetail.newBuilder().setCode(ErrorCode.UNKNOWN_SERVER_ERROR)
          .setMessage("unexpected server error: " + c.getClass().getSimpleName()
              + (c.getMessage() == null ? "" : ": " + c.getMessage())).build();
    }
    Status status = Status.newBuilder().setCode(grpcCode(detail.getCode()).getNumber())
        .setMessage(detail.getCode() + ": " + detail.getMessage()).addDetails(Any.pack(detail)).build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
