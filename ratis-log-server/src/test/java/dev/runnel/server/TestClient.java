package dev.runnel.server;

import dev.runnel.proto.v1.AdminServiceGrpc;
import dev.runnel.proto.v1.LogServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Blocking gRPC stubs to one broker, as a thin client in any language would use. */
public final class TestClient implements AutoCloseable {
  private final ManagedChannel channel;

  public TestClient(String address) {
    channel = NettyChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(64 << 20).build();
  }

  public LogServiceGrpc.LogServiceBlockingStub log() {
    return LogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  public AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
