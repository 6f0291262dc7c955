package dev.runnel.server.partition;

import com.google.protobuf.CodedOutputStream;
import dev.runnel.proto.internal.AppendBatch;
import dev.runnel.proto.internal.PartitionCommand;
import dev.runnel.server.raft.RaftMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A partition command on its way into the Raft log on the leader: its serialised form for Ratis,
 * and the command itself for the leader's own apply (see {@code PartitionStateMachine}).
 *
 * <p>Why not {@code command.toByteArray()}: that copies every batch of the request a second time
 * (the first copy is the request read off the socket), and under W1 that copy was 13 % of a
 * leader's allocated bytes. An append command is serialised here as a rope instead: small
 * fresh arrays for the tags and lengths, and the batches' own bytes in between, shared. Ratis
 * copies the rope once into its log buffer and once per follower onto the wire, as it copied
 * the flat array. The bytes are exactly {@code toByteArray()}'s (proto3 field order, default
 * values left out), which {@code ProposedCommandTest} checks; followers and restarts parse them
 * as any entry.
 *
 * <p>Sharing is safe because nothing writes those arrays: a produce request is read into an array
 * of its own ({@code AliasingMarshaller}) and never touched again.
 */
public final class ProposedCommand implements Message {
  /** PartitionCommand.append, AppendCommand.batches, AppendBatch.partition: field 1, length-delimited. */
  private static final int FIELD_1_BYTES = (1 << 3) | 2;
  /** AppendBatch.batch: field 2, length-delimited. */
  private static final int FIELD_2_BYTES = (2 << 3) | 2;

  private final PartitionCommand command;
  private final ByteString content;

  private ProposedCommand(PartitionCommand command, ByteString content) {
    this.command = command;
    this.content = content;
  }

  public static ProposedCommand of(PartitionCommand command) {
    return new ProposedCommand(command, command.hasAppend()
        ? appendRope(command) : RaftMessages.bytes(command));
  }

  public PartitionCommand command() {
    return command;
  }

  @Override
  public ByteString getContent() {
    return content;
  }

  private static ByteString appendRope(PartitionCommand command) {
    Rope rope = new Rope();
    rope.tag(FIELD_1_BYTES, command.getAppend().getSerializedSize());
    for (AppendBatch b : command.getAppend().getBatchesList()) {
      rope.tag(FIELD_1_BYTES, b.getSerializedSize());
      if (b.hasPartition()) {
        rope.tag(FIELD_1_BYTES, b.getPartition().getSerializedSize());
        rope.header(b.getPartition().toByteArray());
      }
      if (!b.getBatch().isEmpty()) {
        rope.tag(FIELD_2_BYTES, b.getBatch().size());
        rope.shared(b.getBatch());
      }
    }
    return rope.done();
  }

  /** Accumulates small header bytes until a shared piece (or the end) closes them off. */
  private static final class Rope {
    private final byte[] scratch = new byte[256];
    private int used;
    private ByteString result = ByteString.EMPTY;

    /** A tag and a length: at most 5 + 5 bytes. */
    void tag(int tag, int length) {
      ensure(10);
      CodedOutputStream out = CodedOutputStream.newInstance(scratch, used, scratch.length - used);
      try {
        out.writeUInt32NoTag(tag);
        out.writeUInt32NoTag(length);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot happen: 10 bytes were free", e);
      }
      used += out.getTotalBytesWritten();
    }

    void header(byte[] bytes) {
      if (bytes.length > scratch.length) {
        flush();
        append(ByteString.copyFrom(bytes));
        return;
      }
      ensure(bytes.length);
      System.arraycopy(bytes, 0, scratch, used, bytes.length);
      used += bytes.length;
    }

    void shared(com.google.protobuf.ByteString bytes) {
      flush();
      append(RaftMessages.share(bytes));
    }

    ByteString done() {
      flush();
      return result;
    }

    private void ensure(int n) {
      if (used + n > scratch.length) {
        flush();
      }
    }

    private void flush() {
      if (used > 0) {
        append(ByteString.copyFrom(scratch, 0, used));
        used = 0;
      }
    }

    private void append(ByteString piece) {
      result = result.isEmpty() ? piece : result.concat(piece);
    }
  }
}
