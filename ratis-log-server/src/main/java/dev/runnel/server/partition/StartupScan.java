package dev.runnel.server.partition;

import dev.runnel.server.raft.GroupIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Checks every partition replica in the Raft storage directory before the Ratis server starts
 * (which would fail as a whole on one unreadable group), quarantining the damaged ones.
 */
public final class StartupScan {
  private StartupScan() {}

  /** @return how many replicas were found damaged and quarantined */
  public static int run(Path raftDir, ReplicaCheck check, boolean readAllData, ReplicaDamage damage,
      int threads) throws IOException {
    List<Path> groups = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(raftDir)) {
      dirs.filter(Files::isDirectory).filter(StartupScan::isPartitionGroup).forEach(groups::add);
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "runnel-startup-check");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Optional<String>>> results = new ArrayList<>();
      for (Path g : groups) {
        results.add(pool.submit(() -> check.damage(g, readAllData)));
      }
      int damaged = 0;
      for (int i = 0; i < groups.size(); i++) {
        Optional<String> problem = results.get(i).get();
        if (problem.isPresent()) {
          damage.foundAtStart(groups.get(i), problem.get());
          damaged++;
        }
      }
      return damaged;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking replicas", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReplicaCheck.EntriesLargerThanConfigured tooLarge) {
        throw new IOException(tooLarge.getMessage(), tooLarge);
      }
      throw new IOException("checking replicas failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean isPartitionGroup(Path dir) {
    try {
      return !UUID.fromString(dir.getFileName().toString()).equals(GroupIds.METADATA.getUuid());
    } catch (IllegalArgumentException notAGroup) {
      return false;
    }
  }
}
