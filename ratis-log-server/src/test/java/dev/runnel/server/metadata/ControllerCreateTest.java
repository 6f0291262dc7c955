package dev.runnel.server.metadata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which replicas of a new partition the controller creates. */
class ControllerCreateTest {
  @Test
  void aReplicaHeldStoppedIsNotMissingThoughItsRaftServerDoesNotListIt() {
    assertTrue(Controller.isMissing("g", Set.of("other"), Set.of()), "neither listed nor stopped");
    assertFalse(Controller.isMissing("g", Set.of("g"), Set.of()), "listed");
    assertFalse(Controller.isMissing("g", Set.of(), Set.of("g")), "stopped (a full disk)");
    assertTrue(Controller.isMissing("g", Set.of(), Set.of("h")), "another group stopped");
  }
}
