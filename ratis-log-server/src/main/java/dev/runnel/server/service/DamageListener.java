package dev.runnel.server.service;

/** Told when a replica's files are found damaged, so the broker can take it out of service. */
@FunctionalInterface
public interface DamageListener {
  /**
   * @param raftGroupId the partition group whose local replica is damaged
   * @param where how it was found: "open", "read" or "apply"
   * @param reason what was found, for operators
   */
  void damaged(String raftGroupId, String where, String reason);
}
