package dev.runnel.server.service;

import java.util.List;
import java.util.Optional;

/** The partition replicas hosted by this broker, by Raft group id. */
public interface ReplicaDirectory {
  Optional<Replica> local(String raftGroupId);

  /** Group ids of every replica open here. */
  List<String> groupIds();

  /**
   * Why this broker has taken its replicas out of service (its data directory is full), or empty:
   * a client writing to a partition this broker led is told so instead of "leader not ready".
   */
  default String storageProblem() {
    return "";
  }
}
