package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runnel.protocol.KeyPartitioner;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchedBatch;
import dev.runnel.proto.v1.FetchedPartition;
import dev.runnel.proto.v1.Record;
import dev.runnel.proto.v1.RecordBatch;
import dev.runnel.proto.v1.RecordList;
import dev.runnel.server.testkit.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python example client (clients/python) as a real process against a real broker: the
 * proof that a client generated from proto/ in another language creates topics, produces keyed
 * records and reads them back. The records it writes are then read again here, in Java, so the two
 * languages must agree on the batch format, the CRC-32C and Kafka's key partitioner.
 *
 * <p>Needs Debian's python3-grpcio, protobuf-compiler and protobuf-compiler-grpc for
 * /usr/bin/python3. Without them the tests are skipped, unless RUNNEL_REQUIRE_PYTHON is set (as in
 * .ci/run), where they fail instead.
 */
class PythonClientTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final long PROCESS_TIMEOUT_S = 60;
  private static final int COUNT = 200;
  private static final int KEYS = 5;
  private static final int PARTITIONS = 3;

  @TempDir static Path dir;
  private static Path clientDir;
  /** Why Python cannot run the example here, or null when it can. */
  private static String pythonProblem;
  private static LocalCluster cluster;

  @BeforeAll
  static void startBrokerIfPythonWorks() throws Exception {
    clientDir = findClientDir();
    // Generating the code is the step that needs every package, so it is the precondition.
    Run check = python("-c", "import grpc, protogen; protogen.load()");
    if (check.exit != 0) {
      pythonProblem = PYTHON + " cannot run the example client (install python3-grpcio, "
          + "protobuf-compiler and protobuf-compiler-grpc):\n" + check.output();
      if (System.getenv("RUNNEL_REQUIRE_PYTHON") != null) {
        fail("RUNNEL_REQUIRE_PYTHON is set but " + pythonProblem);
      }
      return;
    }
    cluster = LocalCluster.start(1, dir.resolve("cluster"));
  }

  /** Skips each test, with the reason, when Python is missing and not required. */
  @BeforeEach
  void requirePython() {
    Assumptions.assumeTrue(pythonProblem == null, pythonProblem);
  }

  @AfterAll
  static void stopBroker() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void wireHelpersPassTheirUnitTests() throws Exception {
    Run r = python("test_runnel_example.py");
    assertEquals(0, r.exit, r.output());
    assertTrue(r.err.contains("\nOK"), r.output());
  }

  @Test
  void producesKeyedRecordsAndReadsThemBackInKeyOrder() throws Exception {
    Run r = python("runnel_example.py", "--bootstrap", cluster.bootstrap(), "--topic", "py-keyed",
        "--count", Integer.toString(COUNT), "--keys", Integer.toString(KEYS),
        "--partitions", Integer.toString(PARTITIONS), "--replication-factor", "1",
        "--batch-records", "7", "--timeout", "20");
    assertEquals(0, r.exit, r.output());
    Map<String, String> result = resultLine(r.out);
    assertEquals("ok", result.get("status"), r.output());
    for (String zero : List.of("missing", "mismatched", "misplaced", "out_of_order_keys")) {
      assertEquals("0", result.get(zero), zero + " in " + r.output());
    }
    assertEquals(Integer.toString(COUNT), result.get("produced"), r.output());
    assertEquals(Integer.toString(COUNT), result.get("fetched"), r.output());
    assertReadableFromJava("py-keyed");
  }

  @Test
  void brokerErrorsAreReadFromTheStatusDetails() throws Exception {
    Run r = python("runnel_example.py", "--bootstrap", cluster.bootstrap(), "--topic", "bad topic!");
    assertEquals(3, r.exit, r.output());
    assertTrue(r.err.contains("error: INVALID_TOPIC: CreateTopic: "), r.output());
  }

  @Test
  void badArgumentsGiveUsageAndExitTwo() throws Exception {
    Run r = python("runnel_example.py", "--bootstrap", cluster.bootstrap(), "--topic", "t", "--count", "0");
    assertEquals(2, r.exit, r.output());
    assertTrue(r.err.contains("--count: must be between 1 and 100000, got 0"), r.output());
  }

  /**
   * Reads the topic with the Java protobuf classes: every batch has a valid CRC-32C, every key is in
   * the partition Kafka's partitioner picks, and each key's values come back in the order sent.
   */
  private static void assertReadableFromJava(String topic) throws Exception {
    Map<String, List<Integer>> valuesByKey = new TreeMap<>();
    try (TestClient client = new TestClient(cluster.bootstrap())) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (Record rec : readPartition(client, topic, p)) {
          String key = rec.getKey().toStringUtf8();
          assertEquals(KeyPartitioner.partition(rec.getKey().toByteArray(), PARTITIONS), p, key);
          valuesByKey.computeIfAbsent(key, k -> new ArrayList<>())
              .add(Integer.parseInt(rec.getValue().toStringUtf8().substring("value-".length())));
        }
      }
    }
    assertEquals(KEYS, valuesByKey.size(), valuesByKey.toString());
    for (int k = 0; k < KEYS; k++) {
      // The script sends value-i with key-(i % KEYS), in increasing i.
      List<Integer> expected = new ArrayList<>();
      for (int i = k; i < COUNT; i += KEYS) {
        expected.add(i);
      }
      assertEquals(expected, valuesByKey.get("key-" + k), "values of key-" + k);
    }
  }

  private static List<Record> readPartition(TestClient client, String topic, int partition) throws Exception {
    List<Record> records = new ArrayList<>();
    long offset = 0;
    for (int round = 0; round < 100; round++) {
      FetchedPartition fp = client.log().fetch(FetchRequest.newBuilder().addPartitions(
          FetchPartition.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)).build())
          .getPartitions(0);
      assertEquals(ErrorCode.ERROR_NONE, fp.getError(), fp.getErrorMessage());
      for (FetchedBatch fb : fp.getBatchesList()) {
        RecordBatch batch = RecordBatch.parseFrom(fb.getBatch());
        CRC32C crc = new CRC32C();
        crc.update(batch.getRecords().asReadOnlyByteBuffer());
        assertEquals((int) crc.getValue(), batch.getCrc(), "CRC-32C of the batch at " + fb.getBaseOffset());
        List<Record> list = RecordList.parseFrom(batch.getRecords()).getRecordsList();
        assertEquals(batch.getRecordCount(), list.size());
        records.addAll(list);
        offset = fb.getBaseOffset() + list.size();
      }
      if (offset >= fp.getHighWatermark()) {
        return records;
      }
    }
    throw new AssertionError("partition " + partition + " not read to its end in 100 fetches");
  }

  /** The key=value pairs of the script's last "RESULT ..." line. */
  private static Map<String, String> resultLine(String out) {
    String line = out.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no RESULT line in:\n" + out));
    Map<String, String> fields = new HashMap<>();
    Arrays.stream(line.substring("RESULT ".length()).split(" ")).map(f -> f.split("=", 2))
        .forEach(kv -> fields.put(kv[0], kv.length > 1 ? kv[1] : ""));
    return fields;
  }

  /** clients/python of this repository; Maven runs tests in the module directory. */
  private static Path findClientDir() {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path root : new Path[] {cwd.getParent(), cwd}) {
      if (root != null && Files.isRegularFile(root.resolve("clients/python/runnel_example.py"))) {
        return root.resolve("clients/python");
      }
    }
    throw new IllegalStateException("clients/python/runnel_example.py not found from " + cwd);
  }

  /** Runs a Python script from clients/python with a bounded time; generated code goes to the temp dir. */
  private static Run python(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "py", ".out");
    Path err = Files.createTempFile(dir, "py", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(clientDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("RUNNEL_PY_CACHE", dir.resolve("generated").toString());
    // Keep the source tree clean of __pycache__ directories.
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Run(-1, "", "cannot start " + PYTHON + ": " + e.getMessage());
    }
    if (!process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("python " + String.join(" ", args) + " did not finish in " + PROCESS_TIMEOUT_S + " s:\n"
          + Files.readString(out) + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Exit code and output of one finished process. */
  private record Run(int exit, String out, String err) {
    String output() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
