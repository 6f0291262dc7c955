package dev.runnel.server.storage;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raft group replica's entry payloads, kept outside the Raft log: the log holds each entry's
 * header only, and the bytes of its command (the record batches) are appended here, keyed by the
 * entry's index and term, until a snapshot covers them (decisions.md, "Entry payloads outside the
 * Raft log").
 *
 * <p>Files are append-only and numbered in the order they were created ({@code 00000000000000000001.data},
 * ...); each record is {@code [length:int][term:long][index:long][payload][crc32c:int]}, the CRC
 * covering term, index and payload (a trailer, so that a payload is written and checked in one
 * pass, straight from the arrays it arrived in). Reading the files back in order rebuilds the index: a record
 * for index i replaces whatever was kept for i and above (Raft overwrote the log from there), and a
 * torn or damaged record ends what is read of its file (the bytes stay on disk as they were; a new
 * run appends to a new file). A record's term is checked on every read, so a payload left behind by
 * a truncation that was not yet written down can never be served for another entry, and a payload
 * that is missing is reported as damage, never skipped.
 *
 * <p>Durability: {@link #append} writes to the page cache; {@link #sync} forces every file written
 * since the previous sync (and the directory, for new files). Raft marks an entry durable only after
 * both its log and this sync completed.
 *
 * <p>Thread safety: appends, syncs, truncations and purges come from one Raft log thread at a time;
 * reads come from any thread (the leader's appenders, the apply thread) concurrently with them.
 */
public final class EntryDataFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EntryDataFiles.class);
  static final int HEADER_BYTES = 4 + 8 + 8;
  static final int TRAILER_BYTES = 4;
  private static final String SUFFIX = ".data";

  /** Where one entry's payload is. */
  private record Location(DataFile file, long position, int length, long term) {}

  /** Writes an entry's payload, in order, to the stream it is given. */
  @FunctionalInterface
  public interface Payload {
    void writeTo(OutputStream out) throws IOException;
  }

  /** One file; {@code maxIndex} is the highest index any of its records carries. */
  private static final class DataFile {
    final long seq;
    final Path path;
    final FileChannel reader;
    /** Appends; null for the files found at open, which are only read. */
    final FileOutputStream out;
    final BufferedOutputStream buffered;
    long size;
    long maxIndex = -1;
    boolean dirty;
    boolean newInDirectory;

    DataFile(long seq, Path path, FileChannel reader, FileOutputStream out, long size) {
      this.seq = seq;
      this.path = path;
      this.reader = reader;
      this.out = out;
      this.buffered = out == null ? null : new BufferedOutputStream(out, WRITE_BUFFER_BYTES);
      this.size = size;
    }

    void force() throws IOException {
      (out == null ? reader : out.getChannel()).force(false);
    }

    void close() throws IOException {
      try {
        if (out != null) {
          out.close();
        }
      } finally {
        reader.close();
      }
    }
  }

  /** Gathers the small pieces (headers, protobuf tags) of a payload into one write. */
  private static final int WRITE_BUFFER_BYTES = 64 << 10;

  private final Path dir;
  private final long rollBytes;
  private final int maxPayloadBytes;
  private final int readLimitBytes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final NavigableMap<Long, Location> index = new TreeMap<>();
  /** Oldest first; the last one takes appends. */
  private final List<DataFile> files = new ArrayList<>();
  private DataFile current;
  private long nextSeq = 1;
  private boolean closed;
  /** An append failed part-way: nothing written after it may be reported durable. */
  private IOException failed;

  private EntryDataFiles(Path dir, long rollBytes, int maxPayloadBytes, int readLimitBytes) {
    this.dir = dir;
    this.rollBytes = rollBytes;
    this.maxPayloadBytes = maxPayloadBytes;
    this.readLimitBytes = readLimitBytes;
  }

  /**
   * Opens (creating if needed) the files in {@code dir} and reads their index back.
   *
   * @param rollBytes a new file is started once the current one reaches this size
   * @param maxPayloadBytes the largest payload an append may have (the configured entry size)
   * @param readLimitBytes the largest payload a record on disk may have (any configuration's
   *     largest entry: records written before the limit was lowered still read); a larger length
   *     is damage
   */
  public static EntryDataFiles open(Path dir, long rollBytes, int maxPayloadBytes, int readLimitBytes)
      throws IOException {
    if (rollBytes < HEADER_BYTES || maxPayloadBytes < 0 || readLimitBytes < maxPayloadBytes) {
      throw new IllegalArgumentException("rollBytes " + rollBytes + ", maxPayloadBytes "
          + maxPayloadBytes + ", readLimitBytes " + readLimitBytes);
    }
    Files.createDirectories(dir);
    EntryDataFiles f = new EntryDataFiles(dir, rollBytes, maxPayloadBytes, readLimitBytes);
    try {
      f.load();
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void load() throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          found.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
        } catch (NumberFormatException e) {
          throw new IOException("unexpected file " + p + " among entry data files");
        }
      }
    }
    for (Map.Entry<Long, Path> e : found.entrySet()) {
      FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.READ);
      DataFile df = new DataFile(e.getKey(), e.getValue(), ch, null, 0);
      files.add(df);
      scan(df);
      // Written by an earlier run that may have stopped before syncing it (its pages survive a
      // process crash): what Ratis's log then counts as written must be on disk.
      ch.force(false);
      nextSeq = e.getKey() + 1;
    }
  }

  /** Reads one file's records into the index; a bad record ends what is read of it. */
  private void scan(DataFile df) throws IOException {
    long length = df.reader.size();
    long pos = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    while (pos + HEADER_BYTES + TRAILER_BYTES <= length) {
      header.clear();
      readFully(df.reader, header, pos);
      header.flip();
      int len = header.getInt();
      long term = header.getLong();
      long idx = header.getLong();
      if (len < 0 || len > readLimitBytes || idx < 0
          || pos + HEADER_BYTES + len + TRAILER_BYTES > length) {
        break;
      }
      ByteBuffer record = ByteBuffer.allocate(len + TRAILER_BYTES);
      readFully(df.reader, record, pos + HEADER_BYTES);
      record.flip();
      int crc = record.getInt(len);
      record.limit(len);
      if (crcOf(term, idx, record) != crc) {
        break;
      }
      put(idx, new Location(df, pos + HEADER_BYTES, len, term));
      pos += HEADER_BYTES + len + TRAILER_BYTES;
    }
    if (pos < length) {
      // A record cut short by a crash (nothing after it was synced, so Raft never counted it), or
      // damage. What follows is not trusted, and not deleted either: appends go to a new file, and
      // a read of an entry it held reports damage (the replica is then rebuilt from the others).
      LOG.warn("{}: entry data file {} has an unreadable record at byte {} of {}; the rest of the"
          + " file is not read", dir, df.path.getFileName(), pos, length);
    }
    df.size = length;
  }

  private void put(long idx, Location loc) {
    index.tailMap(idx, true).clear();
    index.put(idx, loc);
    loc.file().maxIndex = Math.max(loc.file().maxIndex, idx);
  }

  /**
   * Appends the payload of entry {@code index} of {@code term}, {@code length} bytes that
   * {@code payload} writes. Anything kept for {@code index} or later is dropped first: Raft only
   * writes an index again after truncating the log there. Once an append fails, every later
   * append and sync fails too.
   */
  public void append(long term, long idx, int length, Payload payload) throws IOException {
    if (length < 0 || length > maxPayloadBytes) {
      throw new IllegalArgumentException("entry " + idx + " has " + length + " bytes of payload, not 0.."
          + maxPayloadBytes);
    }
    lock.writeLock().lock();
    try {
      ensureWritable();
      if (current == null || current.size >= rollBytes) {
        roll();
      }
      DataFile df = current;
      long at = df.size;
      try {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(length).putLong(term).putLong(idx);
        df.buffered.write(header.array());
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 4, 16);
        CheckedStream body = new CheckedStream(df.buffered, crc);
        payload.writeTo(body);
        if (body.count != length) {
          throw new IOException("entry " + idx + " wrote " + body.count + " bytes of payload, not " + length);
        }
        df.buffered.write(ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue()).array());
        df.buffered.flush();
      } catch (IOException | RuntimeException e) {
        failed = e instanceof IOException io ? io : new IOException(e);
        throw failed;
      }
      df.size += HEADER_BYTES + (long) length + TRAILER_BYTES;
      df.dirty = true;
      put(idx, new Location(df, at + HEADER_BYTES, length, term));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Passes bytes through, counting them into the CRC. */
  private static final class CheckedStream extends FilterOutputStream {
    private final CRC32C crc;
    long count;

    CheckedStream(OutputStream out, CRC32C crc) {
      super(out);
      this.crc = crc;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }

    @Override
    public void flush() {
      // The record is flushed as a whole, after its trailer.
    }

    @Override
    public void close() {
      // The file outlives the record.
    }
  }

  private void roll() throws IOException {
    long seq = nextSeq++;
    Path p = dir.resolve(String.format("%020d%s", seq, SUFFIX));
    FileOutputStream out = new FileOutputStream(p.toFile(), true);
    FileChannel reader;
    try {
      reader = FileChannel.open(p, StandardOpenOption.READ);
    } catch (IOException e) {
      out.close();
      throw e;
    }
    DataFile df = new DataFile(seq, p, reader, out, 0);
    df.newInDirectory = true;
    files.add(df);
    current = df;
  }

  /** Forces every file appended to since the last sync, and the directory if it has new files. */
  public void sync() throws IOException {
    List<DataFile> dirty = new ArrayList<>(2);
    boolean newFiles = false;
    lock.writeLock().lock();
    try {
      ensureWritable();
      for (DataFile df : files) {
        if (df.dirty || df.newInDirectory) {
          dirty.add(df);
          newFiles |= df.newInDirectory;
          // Cleared before the force: an append after this point sets it again for the next sync.
          df.dirty = false;
          df.newInDirectory = false;
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    // Outside the lock, so that readers and the next appends go on while the disk works.
    try {
      for (DataFile df : dirty) {
        try {
          df.force();
        } catch (ClosedChannelException e) {
          if (!purged(df)) {
            throw e;
          }
        }
      }
      if (newFiles) {
        forceDirectory();
      }
    } catch (IOException e) {
      // The flags were cleared: a later sync would not retry these files, so none may succeed.
      lock.writeLock().lock();
      try {
        failed = e;
      } finally {
        lock.writeLock().unlock();
      }
      throw e;
    }
  }

  /** Whether a purge (or close) removed the file meanwhile: nothing left in it needs syncing. */
  private boolean purged(DataFile df) {
    lock.readLock().lock();
    try {
      return !closed && !files.contains(df);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * The payload of entry {@code index}, checked against {@code term} and its CRC.
   *
   * @throws StorageException (damage) if it is not kept, belongs to another term or fails its check
   */
  public ByteBuffer read(long term, long idx) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      Location loc = index.get(idx);
      if (loc == null) {
        throw StorageException.damaged(dir + ": no payload kept for Raft entry " + idx + " (term "
            + term + ")" + range());
      }
      if (loc.term() != term) {
        throw StorageException.damaged(dir + ": the payload kept for Raft entry " + idx + " is of term "
            + loc.term() + ", not " + term);
      }
      ByteBuffer record = ByteBuffer.allocate(loc.length() + TRAILER_BYTES);
      readFully(loc.file().reader, record, loc.position());
      record.flip();
      int crc = record.getInt(loc.length());
      record.limit(loc.length());
      if (crcOf(term, idx, record) != crc) {
        throw StorageException.damaged(dir + ": the payload of Raft entry " + idx + " in "
            + loc.file().path.getFileName() + " fails its CRC-32C");
      }
      ByteBuffer payload = record.slice();
      return payload;
    } finally {
      lock.readLock().unlock();
    }
  }

  private String range() {
    return index.isEmpty() ? "; none are kept" : "; kept: " + index.firstKey() + ".." + index.lastKey();
  }

  /** Drops the payloads of entries {@code index} and later (Raft truncated its log there). */
  public void truncateFrom(long idx) {
    lock.writeLock().lock();
    try {
      index.tailMap(idx, true).clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Drops the payloads of entries up to {@code index} (a snapshot covers them, and the Raft log no
   * longer holds them) and deletes the files that then hold nothing else. The file taking appends
   * stays.
   *
   * @return how many files were deleted
   */
  public int purgeUpTo(long idx) throws IOException {
    List<DataFile> gone = new ArrayList<>();
    lock.writeLock().lock();
    try {
      ensureOpen();
      index.headMap(idx, true).clear();
      for (Iterator<DataFile> it = files.iterator(); it.hasNext(); ) {
        DataFile df = it.next();
        if (df == current || df.maxIndex > idx) {
          continue;
        }
        it.remove();
        gone.add(df);
      }
    } finally {
      lock.writeLock().unlock();
    }
    for (DataFile df : gone) {
      df.close();
      Files.deleteIfExists(df.path);
    }
    return gone.size();
  }

  /** Lowest and highest index with a payload kept, or {@code [-1, -1]} when none is. */
  public long[] keptRange() {
    lock.readLock().lock();
    try {
      return index.isEmpty() ? new long[] {-1, -1} : new long[] {index.firstKey(), index.lastKey()};
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Number of files on disk. */
  public int fileCount() {
    lock.readLock().lock();
    try {
      return files.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException(dir + ": entry data files are closed");
    }
  }

  private void ensureWritable() throws IOException {
    ensureOpen();
    if (failed != null) {
      throw new IOException(dir + ": an earlier append failed: " + failed.getMessage(), failed);
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (DataFile df : files) {
        try {
          df.close();
        } catch (IOException e) {
          LOG.warn("{}: closing {}: {}", dir, df.path.getFileName(), e.toString());
        }
      }
      files.clear();
      index.clear();
      current = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static int crcOf(long term, long idx, ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(16).putLong(term).putLong(idx).flip());
    crc.update(payload.duplicate());
    return (int) crc.getValue();
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw StorageException.damaged("unexpected end of " + ch + " at byte " + pos);
      }
      pos += n;
    }
  }
}
