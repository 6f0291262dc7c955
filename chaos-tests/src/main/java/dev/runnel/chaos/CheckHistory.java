package dev.runnel.chaos;

import dev.runnel.chaos.checker.Checker;
import dev.runnel.chaos.checker.Report;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.HistoryIO;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks a stored history again: {@code CheckHistory <run directory or history.jsonl>}. Exit code 0
 * when valid, 1 with anomalies, 2 when the input cannot be read.
 */
public final class CheckHistory {
  private CheckHistory() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: CheckHistory <run directory or history.jsonl>");
      System.exit(2);
    }
    History h;
    try {
      h = HistoryIO.read(Path.of(args[0]));
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot read the history: " + e.getMessage());
      System.exit(2);
      return;
    }
    Report r = Checker.check(h);
    System.out.print(r.render());
    System.exit(r.valid() ? 0 : 1);
  }
}
