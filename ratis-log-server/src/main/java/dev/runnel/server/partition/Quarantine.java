package dev.runnel.server.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The directory where damaged replicas are kept for inspection instead of being deleted: an
 * operator may want the files, and nothing in them is served or loaded again. Ratis moves a group
 * here itself when it removes it with "rename" (its removed-groups directory points here), as
 * {@code <quarantine>/<group id>}; this class keeps that name free and records why.
 */
public final class Quarantine {
  static final String REASON_FILE = "RUNNEL-DAMAGE.txt";
  private final Path dir;
  private final java.util.function.LongSupplier clockMs;

  public Quarantine(Path dir, java.util.function.LongSupplier clockMs) {
    this.dir = dir;
    this.clockMs = clockMs;
  }

  public Path dir() {
    return dir;
  }

  /** Moves a replica directory that Ratis has not opened into quarantine. */
  public Path move(Path groupDir, String reason) throws IOException {
    String gid = groupDir.getFileName().toString();
    makeRoom(gid);
    Path target = dir.resolve(gid);
    Files.move(groupDir, target, StandardCopyOption.ATOMIC_MOVE);
    writeReason(gid, reason);
    return target;
  }

  /** An earlier quarantined copy of the same group gets a time suffix, so Ratis can move a new one in. */
  public void makeRoom(String gid) throws IOException {
    Files.createDirectories(dir);
    Path existing = dir.resolve(gid);
    if (Files.exists(existing)) {
      Files.move(existing, dir.resolve(gid + "." + clockMs.getAsLong()), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Leaves a note next to the quarantined files saying what was wrong. */
  public void writeReason(String gid, String reason) throws IOException {
    Path target = dir.resolve(gid);
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve(REASON_FILE), reason + System.lineSeparator(),
          StandardCharsets.UTF_8);
    }
  }
}
