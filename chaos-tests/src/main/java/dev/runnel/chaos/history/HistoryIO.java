package dev.runnel.chaos.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a history to {@code <dir>/history.jsonl} (one JSON object per line, tagged by type) and
 * reads it back, so that a run's history can be kept and checked again later.
 */
public final class HistoryIO {
  public static final String FILE = "history.jsonl";
  // Every field is always written, so a missing one means a damaged line: fail rather than read 0.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private HistoryIO() {}

  public static Path write(History h, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      line(w, "seed", JSON.createObjectNode().put("seed", h.seed()));
      for (ProduceOp op : h.produces()) {
        line(w, "produce", JSON.valueToTree(op));
      }
      for (PollOp op : h.polls()) {
        line(w, "poll", JSON.valueToTree(op));
      }
      for (FaultEvent e : h.faults()) {
        line(w, "fault", JSON.valueToTree(e));
      }
      for (ReplicaRead r : h.finalReads()) {
        line(w, "read", JSON.valueToTree(r));
      }
    }
    return file;
  }

  private static void line(BufferedWriter w, String type, JsonNode body) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("type", type);
    n.set("body", body);
    w.write(JSON.writeValueAsString(n));
    w.newLine();
  }

  /** Reads a history; an unreadable line fails with its line number. */
  public static History read(Path dir) throws IOException {
    Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
    History h = null;
    int lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = JSON.readTree(line);
          String type = n.path("type").asText();
          JsonNode body = n.path("body");
          if (type.equals("seed")) {
            h = new History(body.path("seed").asLong());
            continue;
          }
          if (h == null) {
            throw new IOException("the first line must give the seed");
          }
          switch (type) {
            case "produce" -> h.add(JSON.treeToValue(body, ProduceOp.class));
            case "poll" -> h.add(JSON.treeToValue(body, PollOp.class));
            case "fault" -> h.add(JSON.treeToValue(body, FaultEvent.class));
            case "read" -> h.add(JSON.treeToValue(body, ReplicaRead.class));
            default -> throw new IOException("unknown entry type '" + type + "'");
          }
        } catch (IOException e) {
          throw new IOException(file + " line " + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    if (h == null) {
      throw new IOException(file + " is empty");
    }
    return h;
  }
}
