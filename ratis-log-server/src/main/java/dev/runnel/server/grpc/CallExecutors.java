package dev.runnel.server.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Chooses the thread each call of the client-facing server runs on. The server itself is built
 * with a direct executor, so a call starts on the Netty thread that read it; calls of the
 * {@code inline} methods stay there, all others move to {@code offload} before their handler runs.
 *
 * <p>Why: gRPC's default hands every call's events (request, half-close, completion) to a cached
 * thread pool, two to four thread wake-ups per call; under W1 the cached pools' hand-offs (ours and
 * Ratis's) were ~4 % of a broker's CPU. A produce handler never blocks (it validates,
 * queues the batches for their Raft groups and returns a future), so it can run where the request
 * was read. Fetch and list-offsets read storage on the calling thread, and admin calls may wait on
 * the metadata group; they keep a pool of their own so they never stall a Netty thread that other
 * connections share.
 */
public final class CallExecutors implements ServerCallExecutorSupplier {
  private final Set<String> inline;
  private final Executor offload;

  public CallExecutors(Set<MethodDescriptor<?, ?>> inline, Executor offload) {
    this.inline = inline.stream().map(MethodDescriptor::getFullMethodName)
        .collect(Collectors.toUnmodifiableSet());
    this.offload = offload;
  }

  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    // null keeps the server's executor (direct): the call goes on on this transport thread.
    return inline.contains(call.getMethodDescriptor().getFullMethodName()) ? null : offload;
  }
}
