package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runnel.proto.v1.CreateTopicRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.FetchPartition;
import dev.runnel.proto.v1.FetchRequest;
import dev.runnel.proto.v1.FetchResponse;
import dev.runnel.proto.v1.PartitionBatch;
import dev.runnel.proto.v1.ProduceRequest;
import dev.runnel.proto.v1.ProduceResponse;
import dev.runnel.server.testkit.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void produceAndFetchOnOneBroker() throws Exception {
    try (LocalCluster c = LocalCluster.start(1, dir); TestClient client = new TestClient(c.bootstrap())) {
      client.admin().createTopic(CreateTopicRequest.newBuilder().setName("t").setPartitions(1).build());
      ProduceResponse r = client.log().produce(ProduceRequest.newBuilder().addBatches(PartitionBatch.newBuilder()
          .setTopic("t").setPartition(0).setBatch(Batches.values("a", "b").toByteString())).build());
      assertEquals(ErrorCode.ERROR_NONE, r.getResults(0).getError(), r.toString());
      assertEquals(0, r.getResults(0).getBaseOffset());
      FetchResponse f = client.log().fetch(FetchRequest.newBuilder().addPartitions(
          FetchPartition.newBuilder().setTopic("t").setPartition(0).setOffset(0)).build());
      assertEquals(List.of("=a", "=b"), Batches.decode(f.getPartitions(0).getBatches(0).getBatch()));

      // Health and Prometheus metrics on the HTTP port, with the produce path instrumented.
      Broker b = c.brokers().get(0);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + b.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("runnel_produce_records_total 2.0"), metrics);
      assertTrue(metrics.contains("runnel_produce_latency_seconds_count"), metrics);
      assertTrue(metrics.contains("runnel_fetch_bytes_total"), metrics);
      assertTrue(metrics.contains("runnel_checkpoint_duration_seconds_count"), metrics);
      // Ratis's own metrics, through RatisMeters: the partition group's log and the write timer.
      assertTrue(metrics.contains("ratis_log_worker_stateMachineLogEntryCount{member=\"0@group-"), metrics);
      assertTrue(metrics.contains("ratis_server_clientWriteRequest_seconds_count{member=\"0@group-"), metrics);
    }
  }

  @Test
  void ratisMetricsCanBeLeftOff() throws Exception {
    try (LocalCluster c = LocalCluster.start(1, dir, java.util.Map.of("metrics.ratis", "off"));
        TestClient client = new TestClient(c.bootstrap())) {
      client.admin().createTopic(CreateTopicRequest.newBuilder().setName("t").setPartitions(1).build());
      ProduceResponse r = client.log().produce(ProduceRequest.newBuilder().addBatches(PartitionBatch.newBuilder()
          .setTopic("t").setPartition(0).setBatch(Batches.values("a").toByteString())).build());
      assertEquals(ErrorCode.ERROR_NONE, r.getResults(0).getError(), r.toString());
      Broker b = c.brokers().get(0);
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + b.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("runnel_produce_records_total 1.0"), metrics);
      assertFalse(metrics.contains("ratis_"), metrics);
    }
  }
}
