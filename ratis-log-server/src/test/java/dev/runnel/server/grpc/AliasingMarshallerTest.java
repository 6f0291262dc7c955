package dev.runnel.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.LogServiceGrpc;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class AliasingMarshallerTest {
  private static final ServerServiceDefinition GENERATED =
      LogServiceGrpc.bindService(new LogServiceGrpc.AsyncService() {});

  private static ServerServiceDefinition aliased() {
    return AliasingMarshaller.aliasRequests(GENERATED, LogServiceGrpc.getProduceMethod(),
        ProduceRequest.parser());
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor.Marshaller<ProduceRequest> produceMarshaller() {
    return (MethodDescriptor.Marshaller<ProduceRequest>) aliased()
        .getMethod(LogServiceGrpc.getProduceMethod().getFullMethodName())
        .getMethodDescriptor().getRequestMarshaller();
  }

  @Test
  void onlyTheProduceRequestMarshallerChanges() {
    ServerServiceDefinition aliased = aliased();
    assertEquals(GENERATED.getMethods().size(), aliased.getMethods().size());
    for (ServerMethodDefinition<?, ?> m : GENERATED.getMethods()) {
      String name = m.getMethodDescriptor().getFullMethodName();
      ServerMethodDefinition<?, ?> now = aliased.getMethod(name);
      assertSame(m.getServerCallHandler(), now.getServerCallHandler(), name);
      assertSame(m.getMethodDescriptor().getResponseMarshaller(),
          now.getMethodDescriptor().getResponseMarshaller(), name);
      if (name.equals(LogServiceGrpc.getProduceMethod().getFullMethodName())) {
        assertInstanceOf(AliasingMarshaller.class, now.getMethodDescriptor().getRequestMarshaller());
      } else {
        assertSame(m.getMethodDescriptor().getRequestMarshaller(),
            now.getMethodDescriptor().getRequestMarshaller(), name);
      }
    }
    // The schema stays, so server reflection (grpcurl) still describes the service.
    assertSame(GENERATED.getServiceDescriptor().getSchemaDescriptor(),
        aliased.getServiceDescriptor().getSchemaDescriptor());
  }

  @Test
  void aRequestRoundTripsThroughTheWireFormat() {
    ProduceRequest req = ProduceRequest.newBuilder().setTimeoutMs(1234).addBatches(
        PartitionBatch.newBuilder().setTopic("t").setPartition(2)
            .setBatch(ByteString.copyFromUtf8("batch bytes"))).build();
    MethodDescriptor.Marshaller<ProduceRequest> m = produceMarshaller();
    assertEquals(req, m.parse(m.stream(req)));
    // A stream without a known length (not what gRPC hands us, but allowed) parses the same.
    assertEquals(req, m.parse(new ByteArrayInputStream(req.toByteArray()) {
      @Override
      public synchronized int available() {
        return 0;
      }
    }));
    assertEquals(ProduceRequest.getDefaultInstance(),
        m.parse(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void garbageIsAnInternalStatusNamingTheProblem() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> produceMarshaller().parse(new ByteArrayInputStream(new byte[] {(byte) 0xff, 1})));
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("invalid protobuf byte sequence"),
        e.getStatus().getDescription());
  }

  @Test
  void aMethodTheServiceDoesNotHaveIsRejected() {
    MethodDescriptor<FetchRequest, ?> foreign = LogServiceGrpc.getFetchMethod().toBuilder()
        .setFullMethodName("other.Service/Fetch").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AliasingMarshaller.aliasRequests(GENERATED, foreign, FetchRequest.parser()));
    assertTrue(e.getMessage().contains("other.Service/Fetch"), e.getMessage());
  }
}
