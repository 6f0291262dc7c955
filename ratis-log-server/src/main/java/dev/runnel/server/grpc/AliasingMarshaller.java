package dev.runnel.server.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a request so that its {@code bytes} fields are views of one array read from the wire.
 *
 * <p>grpc-java's protobuf marshaller reads a message into a reusable buffer and then copies every
 * {@code bytes} field out of it. For a produce request that is a second copy of every record
 * batch, and a batch-sized allocation per batch. Here the request is read once into an array of
 * its own, which the parsed message then shares. The array is not reused, so the views stay valid
 * for as long as anyone holds the message. gRPC bounds the message size before parsing
 * ({@code max.request.bytes}).
 */
final class AliasingMarshaller<T extends MessageLite> implements MethodDescriptor.Marshaller<T> {
  private final MethodDescriptor.Marshaller<T> writer;
  private final Parser<T> parser;

  private AliasingMarshaller(MethodDescriptor.Marshaller<T> writer, Parser<T> parser) {
    this.writer = writer;
    this.parser = parser;
  }

  @Override
  public InputStream stream(T value) {
    return writer.stream(value);
  }

  @Override
  public T parse(InputStream stream) {
    try {
      byte[] bytes = stream instanceof KnownLength
          ? stream.readNBytes(stream.available())
          : stream.readAllBytes();
      CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
      in.enableAliasing(true);
      in.setSizeLimit(Integer.MAX_VALUE);
      return parser.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL.withDescription("invalid protobuf byte sequence: " + e.getMessage())
          .withCause(e).asRuntimeException();
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("cannot read the request: " + e.getMessage())
          .withCause(e).asRuntimeException();
    }
  }

  /**
   * The same service with one method's requests parsed by an aliasing marshaller; everything else
   * (handlers, response marshallers, the other methods, the schema for reflection) is unchanged.
   */
  static <ReqT extends MessageLite> ServerServiceDefinition aliasRequests(
      ServerServiceDefinition service, MethodDescriptor<ReqT, ?> method, Parser<ReqT> parser) {
    ServiceDescriptor old = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      methods.add(m.getMethodDescriptor().getFullMethodName().equals(method.getFullMethodName())
          ? withRequestMarshaller(m, parser) : m);
    }
    if (methods.stream().noneMatch(m -> m.getMethodDescriptor().getRequestMarshaller()
        instanceof AliasingMarshaller)) {
      throw new IllegalArgumentException(old.getName() + " has no method "
          + method.getFullMethodName());
    }
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  @SuppressWarnings("unchecked") // the caller matched the method by name, so ReqT is its type
  private static <ReqT extends MessageLite, RespT> ServerMethodDefinition<ReqT, RespT>
      withRequestMarshaller(ServerMethodDefinition<?, ?> m, Parser<ReqT> parser) {
    ServerMethodDefinition<ReqT, RespT> typed = (ServerMethodDefinition<ReqT, RespT>) m;
    MethodDescriptor<ReqT, RespT> d = typed.getMethodDescriptor();
    return ServerMethodDefinition.create(
        d.toBuilder(new AliasingMarshaller<>(d.getRequestMarshaller(), parser),
            d.getResponseMarshaller()).build(),
        typed.getServerCallHandler());
  }
}
