package dev.runnel.chaos.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a chaos run observed. Collected from several threads while the run goes on, then read
 * by the checker; each list is in the order events were recorded.
 */
public final class History {
  private final long seed;
  private final List<ProduceOp> produces = new ArrayList<>();
  private final List<PollOp> polls = new ArrayList<>();
  private final List<FaultEvent> faults = new ArrayList<>();
  private final List<ReplicaRead> finalReads = new ArrayList<>();

  public History(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  public synchronized void add(ProduceOp op) {
    produces.add(op);
  }

  public synchronized void add(PollOp op) {
    polls.add(op);
  }

  public synchronized void add(FaultEvent e) {
    faults.add(e);
  }

  public synchronized void add(ReplicaRead r) {
    finalReads.add(r);
  }

  public synchronized List<ProduceOp> produces() {
    return List.copyOf(produces);
  }

  public synchronized List<PollOp> polls() {
    return List.copyOf(polls);
  }

  public synchronized List<FaultEvent> faults() {
    return List.copyOf(faults);
  }

  public synchronized List<ReplicaRead> finalReads() {
    return List.copyOf(finalReads);
  }
}
