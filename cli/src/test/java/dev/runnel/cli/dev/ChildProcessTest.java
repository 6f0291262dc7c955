package dev.runnel.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildProcessTest {

  private static List<String> split(String text) throws IOException {
    final List<String> lines = new ArrayList<>();
    ChildProcess.splitLines(new StringReader(text), lines::add);
    return lines;
  }

  @Test
  void splitsOnNewlinesAndDropsCarriageReturns() throws IOException {
    assertEquals(List.of("a", "", "b", "c"), split("a\n\r\nb\r\nc"));
  }

  @Test
  void splitsOverlongLinesAtTheLimit() throws IOException {
    final int max = ChildProcess.MAX_LINE_CHARS;
    final List<String> lines = split("x".repeat(max * 2 + 5) + "\n");
    assertEquals(List.of("x".repeat(max), "x".repeat(max), "xxxxx"), lines);
  }
}
