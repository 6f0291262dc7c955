package dev.runnel.chaos.checker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checker's verdict: the anomalies found and the run's figures.
 *
 * @param recoveryMillis per fault kind: min, median and max time from the fault to the first
 *     acknowledged write sent after it, in ms
 * @param leaderMillis per fault kind: min, median and max time from the fault until every
 *     partition had a leader again, in ms (only faults that measured it)
 */
public record Report(long seed, List<Anomaly> anomalies, int operations, int acknowledged, int failed,
    int unknown, int polls, int recordsRead, int faults, Map<String, long[]> recoveryMillis,
    Map<String, long[]> leaderMillis) {

  public boolean valid() {
    return anomalies.isEmpty();
  }

  public long count(Anomaly.Type type) {
    return anomalies.stream().filter(a -> a.type() == type).count();
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(valid() ? "VALID" : "INVALID: " + anomalies.size() + " anomalies").append(" (seed ").append(seed)
        .append(")\n");
    b.append(String.format("operations %d: acknowledged %d, failed %d, unknown %d; polls %d; records read %d;"
        + " faults %d%n", operations, acknowledged, failed, unknown, polls, recordsRead, faults));
    recoveryMillis.forEach((k, v) -> b.append(String.format(
        "  %-16s first acknowledged write after the fault: min %d ms, median %d ms, max %d ms%n", k, v[0], v[1], v[2])));
    leaderMillis.forEach((k, v) -> b.append(String.format(
        "  %-16s every partition led again after:          min %d ms, median %d ms, max %d ms%n", k, v[0], v[1], v[2])));
    if (!valid()) {
      Map<Anomaly.Type, Long> byType = new TreeMap<>();
      anomalies.forEach(a -> byType.merge(a.type(), 1L, Long::sum));
      b.append("  by type: ").append(byType).append('\n');
    }
    int shown = 0;
    for (Anomaly a : anomalies) {
      if (shown++ == 50) {
        b.append("  ... and ").append(anomalies.size() - 50).append(" more\n");
        break;
      }
      b.append("  ").append(a).append('\n');
    }
    return b.toString();
  }
}
