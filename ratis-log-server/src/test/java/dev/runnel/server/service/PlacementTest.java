package dev.runnel.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
  @Test
  void replicasAndPreferredLeadersAreSpreadEvenly() {
    List<List<Integer>> p = Placement.assign(List.of(2, 0, 1), 6, 3, 1);
    Map<Integer, Integer> leaders = new HashMap<>();
    for (List<Integer> replicas : p) {
      assertEquals(3, replicas.stream().distinct().count(), "replicas on distinct brokers");
      leaders.merge(replicas.get(0), 1, Integer::sum);
    }
    assertEquals(Map.of(0, 2, 1, 2, 2, 2), leaders);
    assertEquals(List.of(1, 2, 0), p.get(0));
  }

  @Test
  void replicationFactorAboveBrokerCountIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Placement.assign(List.of(0, 1), 1, 3, 0));
  }
}
