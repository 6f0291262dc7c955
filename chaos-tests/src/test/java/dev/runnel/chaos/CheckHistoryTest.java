package dev.runnel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.HistoryIO;
import dev.runnel.chaos.history.ProduceOp;
import dev.runnel.chaos.history.ReplicaRead;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The re-check tool's exit codes and messages: 0 valid, 1 anomalies, 2 unreadable without a trace. */
class CheckHistoryTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CheckHistory.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** One write acknowledged at t-0@0; the replica holds {@code stored}. */
  private Path history(String stored) throws Exception {
    History h = new History(3);
    h.add(new ProduceOp("p0", "t", null, "v0", 0, 1, ProduceOp.Outcome.OK, 0, 0, null));
    h.add(new ReplicaRead("t", 0, 0, 0, List.of(new ReplicaRead.Stored(0, null, stored)), "d", null));
    HistoryIO.write(h, dir);
    return dir;
  }

  @Test
  void aValidHistoryExitsZero() throws Exception {
    assertEquals(CheckHistory.VALID, run(history("v0").toString()));
    assertTrue(out().startsWith("VALID (seed 3)"), out());
  }

  @Test
  void anomaliesExitOne() throws Exception {
    assertEquals(CheckHistory.ANOMALIES, run(history("other").resolve(HistoryIO.FILE).toString()));
    assertTrue(out().contains("LOST_WRITE: 'v0'"), out());
  }

  @Test
  void aMissingHistoryExitsTwoWithAMessage() {
    assertEquals(CheckHistory.UNREADABLE, run(dir.resolve("nowhere").toString()));
    assertTrue(err().contains("no file") && err().contains("nowhere"), err());
    assertEquals("", out());
  }

  @Test
  void aDamagedHistoryExitsTwoWithoutAStackTrace() throws Exception {
    Files.writeString(dir.resolve(HistoryIO.FILE), "{\"type\":\"seed\",\"body\":{\"seed\":1}}\n"
        + "{\"type\":\"produce\",\"body\":{\"producer\":\"p0\"}}\n");
    assertEquals(CheckHistory.UNREADABLE, run(dir.toString()));
    assertTrue(err().startsWith("cannot read the history: ") && err().contains("line 2"), err());
    assertEquals(1, err().lines().count(), err());
    assertFalse(err().contains("\tat ") || err().contains("Exception:"), err());
  }

  @Test
  void aFileThatIsNotTextExitsTwo() throws Exception {
    Files.write(dir.resolve(HistoryIO.FILE), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertEquals(CheckHistory.UNREADABLE, run(dir.toString()));
    assertTrue(err().contains("not UTF-8"), err());
  }

  @Test
  void usageExitsTwo() {
    assertEquals(CheckHistory.UNREADABLE, run());
    assertTrue(err().startsWith("usage: CheckHistory"), err());
  }
}
