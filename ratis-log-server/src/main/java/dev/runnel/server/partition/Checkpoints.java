package dev.runnel.server.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Store checkpoints kept in a group's state-machine directory as {@code checkpoint.<term>_<index>/}.
 * Ratis ships this directory to lagging followers (snapshot install) and replaces the follower's
 * directory with it, so the live store lives elsewhere and is rebuilt from a checkpoint here.
 *
 * <p>A checkpoint is complete only once {@value #COMPLETE_MARKER} exists in it; it is written last,
 * so a crash while checkpointing leaves a directory that is ignored and later deleted.
 */
final class Checkpoints {
  static final String COMPLETE_MARKER = "CHECKPOINT_COMPLETE";
  private static final Pattern NAME = Pattern.compile("checkpoint\\.(\\d+)_(\\d+)");

  record Checkpoint(Path dir, long term, long index) {}

  private Checkpoints() {}

  static Path dirFor(Path smDir, long term, long index) {
    return smDir.resolve("checkpoint." + term + "_" + index);
  }

  /** The newest complete checkpoint in {@code smDir}. */
  static Optional<Checkpoint> latest(Path smDir) {
    if (!Files.isDirectory(smDir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(smDir)) {
      return s.map(Checkpoints::parse).flatMap(Optional::stream)
          .filter(c -> Files.exists(c.dir().resolve(COMPLETE_MARKER)))
          .max(Comparator.comparingLong(Checkpoint::index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + smDir, e);
    }
  }

  static void markComplete(Path checkpointDir) throws IOException {
    Files.writeString(checkpointDir.resolve(COMPLETE_MARKER), "ok\n");
  }

  /** Every file of a checkpoint, for Ratis to send. */
  static List<Path> files(Path checkpointDir) throws IOException {
    try (Stream<Path> s = Files.walk(checkpointDir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Deletes every checkpoint directory except the two given, including incomplete ones. */
  static void deleteAllExcept(Path smDir, Path keep, Path alsoKeep) throws IOException {
    try (Stream<Path> s = Files.list(smDir)) {
      for (Path p : s.toList()) {
        if (!p.equals(keep) && !p.equals(alsoKeep) && p.getFileName().toString().startsWith("checkpoint.")) {
          deleteRecursively(p);
        }
      }
    }
  }

  /**
   * Replaces {@code dbDir} with a copy of the checkpoint. Immutable table files are hard-linked;
   * the rest (manifest, options) is copied because the store may rewrite those in place.
   */
  static void restore(Checkpoint c, Path dbDir) throws IOException {
    Path tmp = dbDir.resolveSibling(dbDir.getFileName() + ".restoring");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    for (Path f : files(c.dir())) {
      String name = f.getFileName().toString();
      if (name.equals(COMPLETE_MARKER) || name.endsWith(".md5")) {
        continue;
      }
      Path target = tmp.resolve(c.dir().relativize(f).toString());
      Files.createDirectories(target.getParent());
      if (name.endsWith(".sst")) {
        try {
          Files.createLink(target, f);
          continue;
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
          // Fall through to a copy.
        } catch (IOException e) {
          // Different file systems: copy instead.
        }
      }
      Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
    }
    deleteRecursively(dbDir);
    Files.move(tmp, dbDir, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  private static Optional<Checkpoint> parse(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    if (!m.matches() || !Files.isDirectory(p)) {
      return Optional.empty();
    }
    return Optional.of(new Checkpoint(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }
}
