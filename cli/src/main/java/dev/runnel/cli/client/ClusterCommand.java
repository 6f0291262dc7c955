package dev.runnel.cli.client;

import dev.runnel.cli.Main;
import dev.runnel.client.Admin;
import dev.runnel.client.BrokerNode;
import dev.runnel.client.ClusterDescription;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code runnel cluster describe}. */
@Command(name = "cluster", description = "Inspect the cluster.", mixinStandardHelpOptions = true,
    subcommands = ClusterCommand.Describe.class)
public final class ClusterCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(main.out());
    return Main.EXIT_USAGE;
  }

  @Command(name = "describe", description = "Cluster id, controller and brokers.", mixinStandardHelpOptions = true)
  static final class Describe implements Callable<Integer> {
    @ParentCommand ClusterCommand cluster;
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      try (Admin admin = TopicsCommand.admin(cluster.main, options)) {
        ClusterDescription d = admin.describeCluster();
        PrintWriter out = cluster.main.out();
        out.printf("Cluster: %s  controller: %d  metadata version: %d%n", d.clusterId(), d.controllerId(),
            d.metadataVersion());
        out.printf("%-6s %-24s %-6s %-11s %-9s %-8s %s%n", "BROKER", "ADDRESS", "ALIVE", "CONTROLLER?",
            "REPLICAS", "LEADERS", "STOPPED");
        int stopped = 0;
        for (BrokerNode b : d.brokers()) {
          out.printf("%-6d %-24s %-6s %-11s %-9d %-8d %d%n", b.id(), b.address(),
              b.alive() ? "yes" : "NO", b.controllerEligible() ? "eligible" : "-", b.replicaCount(),
              b.leaderCount(), b.stoppedReplicaCount());
          stopped += b.stoppedReplicaCount();
        }
        if (stopped > 0) {
          out.printf("STOPPED: replicas held stopped after a storage failure: a full disk (they restart"
              + " once space is back) or another write error (until the broker restarts); see the"
              + " broker's log and docs/operations.md, \"Full disk\".%n");
        }
      }
      return Main.EXIT_OK;
    }
  }
}
