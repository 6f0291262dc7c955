package dev.runnel.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.chaos.history.ProduceOp.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Histories are kept as JSON lines and read back identical; a damaged file fails naming its line. */
class HistoryIOTest {
  private static final String SEED = "{\"type\":\"seed\",\"body\":{\"seed\":1}}\n";
  @TempDir Path dir;

  /** One of every kind of entry, with the nullable and "unknown" fields exercised. */
  static History sample() {
    History h = new History(-7);
    h.add(new ProduceOp("p0", "t", "k", "v0", 10, 20, Outcome.OK, 2, 5, null));
    h.add(new ProduceOp("p1", "t", null, "v1", 11, 30, Outcome.UNKNOWN, -1, -1, "timeout"));
    h.add(new ProduceOp("p1", "t", null, "v2", 12, 13, Outcome.FAIL, -1, -1, "record too large"));
    h.add(PollOp.poll("c0", 40, List.of(new PollOp.Polled("t", 2, 5, "k", "v0"),
        new PollOp.Polled("t", 1, 0, null, "v1"))));
    h.add(PollOp.seek("c0", 41, 2, 0));
    h.add(new FaultEvent(15, "kill", "broker 1", "kill -9 broker 1", 1_500_000));
    h.add(new FaultEvent(16, "heal", "all", "restart", -1));
    h.add(new ReplicaRead("t", 2, 0, 5, List.of(new ReplicaRead.Stored(5, "k", "v0")), "abc123", null));
    h.add(new ReplicaRead("t", 2, 1, -1, List.of(), "", "connection refused"));
    return h;
  }

  @Test
  void aHistorySurvivesAWriteAndReadBack() throws Exception {
    History h = sample();
    Path file = HistoryIO.write(h, dir.resolve("run"));
    assertEquals(dir.resolve("run").resolve(HistoryIO.FILE), file);
    assertEquals(10, Files.readAllLines(file).size(), "one line per entry plus the seed");
    for (Path input : List.of(dir.resolve("run"), file)) {
      History back = HistoryIO.read(input);
      assertEquals(h.seed(), back.seed());
      assertEquals(h.produces(), back.produces());
      assertEquals(h.polls(), back.polls());
      assertEquals(h.faults(), back.faults());
      assertEquals(h.finalReads(), back.finalReads());
    }
  }

  @Test
  void anUnparsableLineIsNamed() throws Exception {
    Files.writeString(dir.resolve(HistoryIO.FILE), SEED + "{oops\n");
    IOException e = assertThrows(IOException.class, () -> HistoryIO.read(dir));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void aLineMissingAFieldIsRejectedNotReadAsZero() throws Exception {
    String noOffset = "{\"type\":\"produce\",\"body\":{\"producer\":\"p0\",\"topic\":\"t\",\"key\":null,"
        + "\"value\":\"v\",\"invokeNanos\":1,\"completeNanos\":2,\"outcome\":\"OK\",\"partition\":0,\"error\":null}}\n";
    Files.writeString(dir.resolve(HistoryIO.FILE), SEED + "\n" + noOffset);
    IOException e = assertThrows(IOException.class, () -> HistoryIO.read(dir));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("offset"), e.getMessage());
  }

  @Test
  void aNullRequiredFieldIsRejected() throws Exception {
    String noOutcome = "{\"type\":\"produce\",\"body\":{\"producer\":\"p0\",\"topic\":\"t\",\"key\":null,"
        + "\"value\":\"v\",\"invokeNanos\":1,\"completeNanos\":2,\"outcome\":null,\"partition\":0,\"offset\":0,"
        + "\"error\":null}}\n";
    Files.writeString(dir.resolve(HistoryIO.FILE), SEED + noOutcome);
    IOException e = assertThrows(IOException.class, () -> HistoryIO.read(dir));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("outcome"), e.getMessage());
  }

  @Test
  void theSeedMustComeFirstAndTypesMustBeKnown() throws Exception {
    Files.writeString(dir.resolve(HistoryIO.FILE), "{\"type\":\"poll\",\"body\":{}}\n");
    assertTrue(assertThrows(IOException.class, () -> HistoryIO.read(dir)).getMessage().contains("seed"));
    Files.writeString(dir.resolve(HistoryIO.FILE), SEED + "{\"type\":\"vote\",\"body\":{}}\n");
    assertTrue(assertThrows(IOException.class, () -> HistoryIO.read(dir)).getMessage().contains("'vote'"));
    Files.writeString(dir.resolve(HistoryIO.FILE), "\n");
    assertTrue(assertThrows(IOException.class, () -> HistoryIO.read(dir)).getMessage().contains("empty"));
  }
}
