package dev.runnel.client.internals;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.client.errors.ApiException;
import dev.runnel.client.errors.InvalidRequestException;
import dev.runnel.client.errors.NetworkException;
import dev.runnel.client.errors.RunnelException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.UnknownServerException;
import dev.runnel.proto.v1.ErrorDetail;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where a failed gRPC call becomes a client exception: the {@link ErrorDetail} in the
 * status details if the broker sent one (mapped by {@link Errors}), else the gRPC status code.
 */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** The broker's ErrorDetail carried by a failed call, if any. */
  public static Optional<ErrorDetail> detail(Throwable t) {
    com.google.rpc.Status st = StatusProto.fromThrowable(unwrap(t));
    if (st == null) {
      return Optional.empty();
    }
    for (Any any : st.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return Optional.of(any.unpack(ErrorDetail.class));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Maps any failure of a call to a client exception.
   *
   * @param t the failure
   * @param what a short description of the call for the message, e.g. "Produce to broker 2 (h:p)"
   */
  public static RunnelException toException(Throwable t, String what) {
    Throwable cause = unwrap(t);
    if (cause instanceof RunnelException re) {
      return re;
    }
    Optional<ErrorDetail> detail = detail(cause);
    if (detail.isPresent()) {
      return Errors.exception(detail.get().getCode(), detail.get().getMessage());
    }
    Status status = Status.fromThrowable(cause);
    String desc = what + " failed: " + status.getCode()
        + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
    return switch (status.getCode()) {
      case UNAVAILABLE, CANCELLED, ABORTED -> new NetworkException(desc, cause);
      case DEADLINE_EXCEEDED -> new TimeoutException(desc, cause);
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION ->
          new InvalidRequestException(desc, cause);
      case INTERNAL, UNKNOWN, DATA_LOSS -> new UnknownServerException(desc, cause);
      case RESOURCE_EXHAUSTED -> new ApiException(desc
          + "; the message may exceed the channel's size limit", cause);
      case UNIMPLEMENTED -> new ApiException(desc + "; the broker does not support this call", cause);
      default -> new RunnelException(desc, cause);
    };
  }

  /** Removes the wrappers that futures add. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
