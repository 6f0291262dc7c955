package dev.runnel.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.server.storage.RocksDbPartitionStore;
import dev.runnel.server.storage.StorageResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Raft metadata (term and vote) part of the replica check; logs and stores are in DamagedReplicaTest. */
class ReplicaCheckTest {
  @TempDir Path dir;
  private final StorageResources storage = StorageResources.create(StorageResources.Settings.DEFAULTS);
  private final ReplicaCheck check = new ReplicaCheck(d -> RocksDbPartitionStore.open(d, storage),
      SizeInBytes.valueOf(1 << 20));

  @AfterEach
  void close() {
    storage.close();
  }

  private Optional<String> withMeta(String content) throws Exception {
    Path current = Files.createDirectories(dir.resolve("group").resolve("current"));
    Files.writeString(current.resolve("raft-meta"), content);
    return check.damage(dir.resolve("group"), false);
  }

  @Test
  void aCompleteVoteFileIsFine() throws Exception {
    assertEquals(Optional.empty(), withMeta("#\nterm=3\nvotedFor=1\n"));
    assertEquals(Optional.empty(), withMeta("term=0\nvotedFor=\n"), "no vote cast yet");
  }

  @Test
  void anEmptyOrHalfWrittenVoteFileIsDamage() throws Exception {
    Optional<String> empty = withMeta("");
    assertTrue(empty.orElseThrow().contains("raft-meta lacks its term or vote (0 bytes)"), empty.get());
    assertTrue(withMeta("#\nterm=3\n").isPresent(), "vote missing");
    assertTrue(withMeta("term=x\nvotedFor=1\n").isPresent(), "term not a number");
  }

  @Test
  void aReplicaWithoutVoteFileYetIsFine() throws Exception {
    Files.createDirectories(dir.resolve("group").resolve("current"));
    assertEquals(Optional.empty(), check.damage(dir.resolve("group"), false));
  }
}
