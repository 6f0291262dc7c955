package dev.runnel.server.service;

import java.util.List;
import java.util.Optional;

/** The partition replicas hosted by this broker, by Raft group id. */
public interface ReplicaDirectory {
  Optional<Replica> local(String raftGroupId);

  /** Group ids of every replica open here. */
  List<String> groupIds();
}
