package dev.runnel.server.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads replicas over brokers: partition p's replicas start at broker (start + p) and continue
 * round the sorted broker list, so replicas and preferred leaders (the first replica) are even.
 */
public final class Placement {
  private Placement() {}

  public static List<List<Integer>> assign(List<Integer> brokers, int partitions, int rf, int start) {
    List<Integer> sorted = brokers.stream().sorted().toList();
    int n = sorted.size();
    if (rf < 1 || rf > n) {
      throw new IllegalArgumentException("replication factor " + rf + " with " + n + " brokers");
    }
    List<List<Integer>> out = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      List<Integer> replicas = new ArrayList<>(rf);
      for (int j = 0; j < rf; j++) {
        replicas.add(sorted.get(Math.floorMod(start + p + j, n)));
      }
      out.add(replicas);
    }
    return out;
  }
}
