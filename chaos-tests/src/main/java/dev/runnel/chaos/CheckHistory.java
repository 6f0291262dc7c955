package dev.runnel.chaos;

import dev.runnel.chaos.checker.Checker;
import dev.runnel.chaos.checker.Report;
import dev.runnel.chaos.history.History;
import dev.runnel.chaos.history.HistoryIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a stored history again: {@code CheckHistory <run directory or history.jsonl>}. Exit code 0
 * when valid, 1 with anomalies, 2 when the input cannot be read (one line saying why, no stack
 * trace: the reader is someone triaging a failed run, not debugging this tool).
 */
public final class CheckHistory {
  public static final int VALID = 0;
  public static final int ANOMALIES = 1;
  public static final int UNREADABLE = 2;

  private CheckHistory() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Does the work of {@link #main} without exiting, so that tests can call it. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println("usage: CheckHistory <run directory or " + HistoryIO.FILE + ">");
      return UNREADABLE;
    }
    Path input = Path.of(args[0]);
    Path file = Files.isDirectory(input) ? input.resolve(HistoryIO.FILE) : input;
    if (!Files.isRegularFile(file)) {
      err.println("cannot read the history: no file " + file);
      return UNREADABLE;
    }
    Report r;
    try {
      History h = HistoryIO.read(input);
      r = Checker.check(h);
    } catch (CharacterCodingException e) {
      err.println("cannot read the history: " + file + " is not UTF-8 text");
      return UNREADABLE;
    } catch (IOException | RuntimeException e) {
      err.println("cannot read the history: " + firstLine(e));
      return UNREADABLE;
    }
    out.print(r.render());
    return r.valid() ? VALID : ANOMALIES;
  }

  /** Jackson's messages run on with source locations over several lines; the first says what. */
  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
