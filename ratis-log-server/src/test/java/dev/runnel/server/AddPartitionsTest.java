package dev.runnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.proto.v1.AddPartitionsRequest;
import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.proto.v1.ErrorDetail;
import dev.runnel.proto.v1.TopicDescription;
import dev.runnel.server.testkit.LocalCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Growing a topic at runtime: new partitions get groups and leaders and take writes at once. */
class AddPartitionsTest {
  @TempDir Path dir;

  @Test
  void addsPartitionsAndRefusesShrinking() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1, dir); TestClient c = new TestClient(cluster.bootstrap())) {
      ClusterFixture.createTopic(c, "grow", 1, 1);
      ClusterFixture.produce(cluster, "grow", 0, Batches.values("old").toByteString());
      TopicDescription d = c.admin().addPartitions(AddPartitionsRequest.newBuilder().setName("grow")
          .setTotalPartitions(3).build());
      assertEquals(3, d.getPartitionsCount());
      for (int p = 0; p < 3; p++) {
        assertEquals(p == 0 ? 1 : 0, ClusterFixture.produce(cluster, "grow", p,
            Batches.values("new").toByteString()).getBaseOffset());
      }
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.admin().addPartitions(
          AddPartitionsRequest.newBuilder().setName("grow").setTotalPartitions(2).build()));
      ErrorDetail detail = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorDetail.class);
      assertEquals(ErrorCode.INVALID_PARTITIONS, detail.getCode());
    }
  }
}
