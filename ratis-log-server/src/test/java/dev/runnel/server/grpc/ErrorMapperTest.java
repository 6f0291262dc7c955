package dev.runnel.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Code;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.server.common.ServiceException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  @Test
  void everyErrorCodeHasAStatusAndTravelsAsDetail() throws Exception {
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.UNRECOGNIZED || c == ErrorCode.ERROR_NONE) {
        continue;
      }
      assertNotEquals(Code.OK, ErrorMapper.grpcCode(c), c.name());
      StatusRuntimeException e = ErrorMapper.toStatus(new ServiceException(c, "because " + c));
      ErrorDetail d = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorDetail.class);
      assertEquals(c, d.getCode());
      assertEquals("because " + c, d.getMessage());
    }
  }

  @Test
  void unexpectedFailuresBecomeUnknownServerErrorWithoutStackTrace() throws Exception {
    StatusRuntimeException e = ErrorMapper.toStatus(new IllegalStateException("boom"));
    assertEquals(io.grpc.Status.Code.INTERNAL, e.getStatus().getCode());
    ErrorDetail d = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorDetail.class);
    assertEquals(ErrorCode.UNKNOWN_SERVER_ERROR, d.getCode());
    assertTrue(d.getMessage().contains("boom"));
    assertTrue(!d.getMessage().contains("\tat "));
  }
}
