package dev.runnel.client.internals.net;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Adapts grpc-java's async unary calls to {@link CompletableFuture}. */
public final class Calls {
  private Calls() {}

  /**
   * Starts {@code method(request, observer)} and returns its single response. The future completes on
   * a gRPC executor thread; failures are the raw gRPC exceptions (map them with GrpcErrors).
   */
  public static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> future = new CompletableFuture<>();
    method.accept(request, new StreamObserver<>() {
      private R response;

      @Override
      public void onNext(R value) {
        response = value;
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        if (response == null) {
          future.completeExceptionally(new IllegalStateException("the broker sent no response"));
        } else {
          future.complete(response);
        }
      }
    });
    return future;
  }
}
