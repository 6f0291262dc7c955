package dev.runnel.server.grpc;

import dev.runnel.proto.v1.AddPartitionsRequest;
import dev.runnel.proto.v1.AdminServiceGrpc;
import dev.runnel.proto.v1.AlterTopicConfigRequest;
import dev.runnel.proto.v1.AlterTopicConfigResponse;
import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.CreateTopicResponse;
import dev.runnel.proto.v1.DeleteTopicRequest;
import dev.runnel.proto.v1.DeleteTopicResponse;
import dev.runnel.proto.v1.DescribeClusterRequest;
import dev.runnel.proto.v1.DescribeClusterResponse;
import dev.runnel.proto.v1.DescribeTopicRequest;
import dev.runnel.proto.v1.ListTopicsRequest;
import dev.runnel.proto.v1.ListTopicsResponse;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.service.AdminHandler;
import dev.runnel.server.service.ClusterInfoHandler;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** gRPC edge of administration. */
public final class AdminServiceGrpcImpl extends AdminServiceGrpc.AdminServiceImplBase {
  private final AdminHandler admin;
  private final ClusterInfoHandler info;

  public AdminServiceGrpcImpl(AdminHandler admin, ClusterInfoHandler info) {
    this.admin = admin;
    this.info = info;
  }

  @Override
  public void createTopic(CreateTopicRequest req, StreamObserver<CreateTopicResponse> out) {
    reply(out, () -> admin.createTopic(req).thenApply(d -> CreateTopicResponse.newBuilder().setTopic(d).build()));
  }

  @Override
  public void deleteTopic(DeleteTopicRequest req, StreamObserver<DeleteTopicResponse> out) {
    reply(out, () -> admin.deleteTopic(req.getName()).thenApply(v -> DeleteTopicResponse.getDefaultInstance()));
  }

  @Override
  public void listTopics(ListTopicsRequest req, StreamObserver<ListTopicsResponse> out) {
    reply(out, () -> CompletableFuture.completedFuture(admin.listTopics()));
  }

  @Override
  public void describeTopic(DescribeTopicRequest req, StreamObserver<TopicDescription> out) {
    reply(out, () -> admin.describeTopic(req.getName()));
  }

  @Override
  public void describeCluster(DescribeClusterRequest req, StreamObserver<DescribeClusterResponse> out) {
    reply(out, () -> CompletableFuture.completedFuture(info.describeCluster()));
  }

  @Override
  public void alterTopicConfig(AlterTopicConfigRequest req, StreamObserver<AlterTopicConfigResponse> out) {
    reply(out, () -> admin.alterTopicConfig(req));
  }

  @Override
  public void addPartitions(AddPartitionsRequest req, StreamObserver<TopicDescription> out) {
    reply(out, () -> admin.addPartitions(req.getName(), req.getTotalPartitions()));
  }

  static <T> void reply(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    f.whenComplete((r, t) -> {
      if (t != null) {
        out.onError(ErrorMapper.toStatus(t));
      } else {
        out.onNext(r);
        out.onCompleted();
      }
    });
  }
}
