package dev.runnel.server.service;

import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.ListOffsetsRequest;
import dev.runnel.proto.v1.ListOffsetsResponse;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards requests to another broker (the partition leader). Forwarded requests are marked so the
 * receiver serves them locally or answers NOT_LEADER, never forwarding a second time.
 */
public interface Peers {
  CompletableFuture<ProduceResponse> produce(int brokerId, ProduceRequest request);

  CompletableFuture<FetchResponse> fetch(int brokerId, FetchRequest request);

  CompletableFuture<ListOffsetsResponse> listOffsets(int brokerId, ListOffsetsRequest request);
}
