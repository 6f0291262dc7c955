package dev.runnel.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Marks requests one broker forwards to another, so the receiver never forwards them again (a
 * stale leader view on two brokers must not bounce a request between them).
 */
public final class Forwarding implements ServerInterceptor {
  static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-runnel-forwarded-by", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<Boolean> FORWARDED = Context.key("runnel-forwarded");

  public static boolean isForwarded() {
    return Boolean.TRUE.equals(FORWARDED.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    boolean fwd = headers.containsKey(HEADER);
    return Contexts.interceptCall(Context.current().withValue(FORWARDED, fwd), call, headers, next);
  }
}
