package dev.runnel.chaos.nemesis;

/** The kinds of fault the nemesis injects. At most one is active at a time, always on a minority. */
public enum Fault {
  /** kill -9 a random broker; restarted at heal. */
  KILL,
  /** kill -9 the leader of a random partition. */
  KILL_LEADER,
  /** kill -9 the controller (metadata leader). */
  KILL_CONTROLLER,
  /** SIGSTOP a random broker; SIGCONT at heal. */
  PAUSE,
  /** Cut every link of one broker (needs network namespaces). */
  ISOLATE,
  /** Split the brokers into a minority and a majority (needs network namespaces). */
  SPLIT,
  /** Every broker sees one "bridge" broker, but the others cannot see each other. */
  BRIDGE,
  /** One broker loses a share (20-50%) of the packets from the others. */
  PACKET_LOSS,
  /** One broker's inbound links are throttled to a trickle. */
  SLOW_LINK,
  /** One broker's Raft links to and from the others get 20-250 ms of latency each way. */
  LATENCY,
  /** Kill a broker and cut the tail off the newest Raft log segment of one of its replicas. */
  TRUNCATE_LOG,
  /** Kill a broker and flip a bit in a data file of one of its replicas. */
  FLIP_BIT,
  /** Move the leadership of many partitions around quickly. */
  TRANSFER_STORM;

  public boolean needsNetwork() {
    return this == ISOLATE || this == SPLIT || this == BRIDGE;
  }

  /** Needs nftables in the brokers' namespaces. */
  public boolean needsShaping() {
    return this == PACKET_LOSS || this == SLOW_LINK || this == LATENCY;
  }

  /** Faults after which partitions may need a new leader: the time to one is measured. */
  public boolean removesLeaders() {
    return this != TRANSFER_STORM && this != BRIDGE && this != PACKET_LOSS && this != SLOW_LINK
        && this != LATENCY;
  }
}
