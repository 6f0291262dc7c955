package dev.runnel.server.partition;

import dev.runnel.server.storage.EntryDataFiles;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Ratis's state-machine-data calls for a partition group, handed to the replica's
 * {@link EntryDataFiles}: Ratis writes an entry's header to its log and its payload here, asks for the
 * payload back when it sends the entry to a follower, and syncs both before the entry counts.
 */
final class EntryDataApi implements StateMachine.DataApi {
  private final Supplier<EntryDataFiles> files;
  private final EntryPayloads payloads;

  EntryDataApi(Supplier<EntryDataFiles> files, EntryPayloads payloads) {
    this.files = files;
    this.payloads = payloads;
  }

  /** The entry's payload as Ratis passes it, empty if the entry has none or it was left out. */
  static ByteString payloadOf(LogEntryProto entry) {
    StateMachineLogEntryProto sm = entry.getStateMachineLogEntry();
    return sm.hasStateMachineEntry() ? sm.getStateMachineEntry().getStateMachineData() : ByteString.EMPTY;
  }

  /** Whether the entry's command was written as state-machine data (whether it is attached or not). */
  static boolean hasSeparatePayload(LogEntryProto entry) {
    return entry.hasStateMachineLogEntry() && entry.getStateMachineLogEntry().hasStateMachineEntry();
  }

  /** The payload of an entry whose payload Ratis left out, from the files. */
  static ByteString read(EntryDataFiles files, LogEntryProto entry) throws IOException {
    return UnsafeByteOperations.unsafeWrap(files.read(entry.getTerm(), entry.getIndex()));
  }

  @Override
  public CompletableFuture<?> write(LogEntryProto entry, TransactionContext context) {
    ByteString data = payloadOf(entry);
    if (data.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      // Written now, on Ratis's appending thread and in log order, so that a later read (and the
      // sync Ratis asks for before the entry counts) always finds it.
      files.get().append(entry.getTerm(), entry.getIndex(), data.size(), data::writeTo);
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<ByteString> read(LogEntryProto entry, TransactionContext context) {
    // On the leader an entry still being replicated has its proposal, payload included.
    if (context != null && context.getStateMachineLogEntry() != null) {
      ByteString proposed = context.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
      if (!proposed.isEmpty()) {
        return CompletableFuture.completedFuture(proposed);
      }
    }
    try {
      return CompletableFuture.completedFuture(read(files.get(), entry));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> flush(long logIndex) {
    EntryDataFiles f = files.get();
    return f == null ? CompletableFuture.failedFuture(new IOException("entry data files are not open"))
        : payloads.sync(f);
  }

  @Override
  public CompletableFuture<Void> truncate(long logIndex) {
    EntryDataFiles f = files.get();
    if (f != null) {
      f.truncateFrom(logIndex);
    }
    return CompletableFuture.completedFuture(null);
  }
}
