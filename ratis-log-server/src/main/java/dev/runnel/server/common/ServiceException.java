package dev.runnel.server.common;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.LeaderHint;

/**
 * An expected failure of a request, carrying the protocol's {@link ErrorCode} and a message that
 * names what was wrong. The gRPC layer turns it into a status in one place.
 */
public class ServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ErrorDetail detail;

  public ServiceException(ErrorCode code, String message) {
    this(ErrorDetail.newBuilder().setCode(code).setMessage(message).build());
  }

  public ServiceException(ErrorDetail detail) {
    super(detail.getMessage(), null, false, false);
    this.detail = detail;
  }

  public static ServiceException notLeader(String what, LeaderHint leader) {
    ErrorDetail.Builder d = ErrorDetail.newBuilder().setCode(ErrorCode.NOT_LEADER)
        .setMessage("this broker does not lead " + what
            + (leader == null ? "" : "; leader is broker " + leader.getBrokerId() + " at " + leader.getAddress()));
    if (leader != null) {
      d.setLeader(leader);
    }
    return new ServiceException(d.build());
  }

  public ErrorCode code() {
    return detail.getCode();
  }

  public ErrorDetail detail() {
    return detail;
  }
}
