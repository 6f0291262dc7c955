package dev.runnel.client.serialization;

import com.google.protobuf.MessageLite;

/**
 * Writes a Protobuf message in its binary wire format.
 *
 * @param <T> the generated message type
 */
public final class ProtobufSerializer<T extends MessageLite> implements Serializer<T> {
  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : data.toByteArray();
  }
}
