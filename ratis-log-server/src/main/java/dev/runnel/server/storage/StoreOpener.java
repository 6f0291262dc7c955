package dev.runnel.server.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the store kept in a directory (creating it when empty), e.g. a RocksDB database. */
@FunctionalInterface
public interface StoreOpener {
  PartitionStore open(Path dir) throws IOException;
}
