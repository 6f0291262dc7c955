package dev.runnel.cli.client;

import dev.runnel.cli.Main;
import dev.runnel.client.Admin;
import dev.runnel.client.AdminConfig;
import dev.runnel.client.PartitionInfo;
import dev.runnel.client.RunnelAdmin;
import dev.runnel.client.TopicDescription;
import dev.runnel.client.TopicListing;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runnel topics ...}: create, list, describe, alter and delete topics. */
@Command(name = "topics", description = "Create, list, describe, alter and delete topics.",
    mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class,
        TopicsCommand.Describe.class, TopicsCommand.Alter.class, TopicsCommand.Delete.class})
public final class TopicsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(main.out());
    return Main.EXIT_USAGE;
  }

  static Admin admin(Main main, ClientOptions options) {
    return new RunnelAdmin(AdminConfig.builder().bootstrapServers(options.bootstrap(main)).build());
  }

  @Command(name = "create", description = "Create a topic.", mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @ParentCommand TopicsCommand topics;
    @Mixin ClientOptions options;
    @Parameters(paramLabel = "TOPIC", description = "Name: [a-zA-Z0-9._-], 1 to 249 characters.")
    String name;
    @Option(names = {"-p", "--partitions"}, description = "Partition count (default: broker num.partitions).")
    int partitions;
    @Option(names = {"-r", "--replication-factor"},
        description = "Replicas per partition (default: broker default.replication.factor).")
    int replicationFactor;
    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE", description = "Topic config override, repeatable.")
    List<String> configs;

    @Override
    public Integer call() {
      Map<String, String> cfg = KeyValues.parse("--config", configs);
      try (Admin admin = admin(topics.main, options)) {
        TopicDescription d = admin.createTopic(name, partitions, replicationFactor, cfg);
        topics.main.out().printf("Created topic %s with %d partitions (replication factor %d).%n",
            d.name(), d.partitions().size(), d.replicationFactor());
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", description = "List topics.", mixinStandardHelpOptions = true)
  static final class ListTopics implements Callable<Integer> {
    @ParentCommand TopicsCommand topics;
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      try (Admin admin = admin(topics.main, options)) {
        for (TopicListing t : admin.listTopics()) {
          topics.main.out().println(t.name());
        }
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "describe", description = "Show partitions, leaders, offsets and configs of a topic.",
      mixinStandardHelpOptions = true)
  static final class Describe implements Callable<Integer> {
    @ParentCommand TopicsCommand topics;
    @Mixin ClientOptions options;
    @Parameters(paramLabel = "TOPIC") String name;

    @Override
    public Integer call() {
      try (Admin admin = admin(topics.main, options)) {
        print(topics.main.out(), admin.describeTopic(name));
      }
      return Main.EXIT_OK;
    }

    static void print(PrintWriter out, TopicDescription d) {
      out.printf("Topic: %s  id: %s  partitions: %d  replication factor: %d%n", d.name(), d.topicId(),
          d.partitions().size(), d.replicationFactor());
      out.printf("%-10s %-7s %-12s %-12s %-12s%n", "PARTITION", "LEADER", "REPLICAS", "LOG-START", "LOG-END");
      for (PartitionInfo p : d.partitions()) {
        out.printf("%-10d %-7s %-12s %-12d %-12d%n", p.partition(),
            p.leaderId() < 0 ? "none" : Integer.toString(p.leaderId()),
            p.replicas().toString().replace(" ", ""), p.logStartOffset(), p.logEndOffset());
      }
      // Loud on purpose: a damaged replica means the partition runs with less redundancy.
      for (PartitionInfo p : d.partitions()) {
        p.damagedReplicas().forEach((broker, reason) -> out.printf(
            "DAMAGED: partition %d replica on broker %d is out of service, being rebuilt: %s%n",
            p.partition(), broker, reason));
      }
      out.println("Configs:");
      d.configs().forEach((k, v) -> out.printf("  %s=%s%n", k, v));
    }
  }

  @Command(name = "alter", description = "Set or remove per-topic configs (no restart needed).",
      mixinStandardHelpOptions = true)
  static final class Alter implements Callable<Integer> {
    @ParentCommand TopicsCommand topics;
    @Mixin ClientOptions options;
    @Parameters(paramLabel = "TOPIC") String name;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Config to set, repeatable.")
    List<String> set;
    @Option(names = "--remove", paramLabel = "KEY", description = "Override to remove, repeatable.")
    List<String> remove;
    @Option(names = "--partitions", paramLabel = "N",
        description = "Grow the topic to N partitions (keys then map to different partitions).")
    Integer partitions;

    @Override
    public Integer call() {
      Map<String, String> toSet = KeyValues.parse("--set", set);
      List<String> toRemove = remove == null ? List.of() : remove;
      if (toSet.isEmpty() && toRemove.isEmpty() && partitions == null) {
        throw new dev.runnel.cli.CliException("nothing to change: give --set, --remove or --partitions",
            Main.EXIT_USAGE, null);
      }
      try (Admin admin = admin(topics.main, options)) {
        if (!toSet.isEmpty() || !toRemove.isEmpty()) {
          admin.alterTopicConfig(name, toSet, toRemove).forEach((k, v) -> topics.main.out().printf("%s=%s%n", k, v));
        }
        if (partitions != null) {
          admin.addPartitions(name, partitions);
          topics.main.out().printf("Topic %s now has %d partitions.%n", name, partitions);
        }
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "delete", description = "Delete a topic and all its data.", mixinStandardHelpOptions = true)
  static final class Delete implements Callable<Integer> {
    @ParentCommand TopicsCommand topics;
    @Mixin ClientOptions options;
    @Parameters(paramLabel = "TOPIC") String name;

    @Override
    public Integer call() {
      try (Admin admin = admin(topics.main, options)) {
        admin.deleteTopic(name);
        topics.main.out().printf("Deleted topic %s.%n", name);
      }
      return Main.EXIT_OK;
    }
  }
}
