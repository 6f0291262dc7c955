import dev.runnel.client.Admin;
import dev.runnel.client.AdminConfig;
import dev.runnel.client.RunnelAdmin;
import dev.runnel.client.TopicDescription;
import dev.runnel.client.errors.ApiException;

/**
 * Creates topics PREFIX0, PREFIX1, … (PARTITIONS each, RF 3) until COUNT exist or one is refused,
 * in one JVM (the CLI would start one per topic). Prints how many were created, how many of their
 * partitions have no leader, and the refusal if any. Used by bench/many-topics.sh:
 *   java -cp "cli/target/lib/*" bench/CreateTopics.java BOOTSTRAP COUNT PARTITIONS PREFIX
 */
public class CreateTopics {
  public static void main(String[] args) {
    String bootstrap = args[0];
    int count = Integer.parseInt(args[1]);
    int partitions = Integer.parseInt(args[2]);
    String prefix = args[3];
    int created = 0;
    long leaderless = 0;
    long start = System.nanoTime();
    try (Admin admin = new RunnelAdmin(AdminConfig.builder().bootstrapServers(bootstrap).build())) {
      for (int i = 0; i < count; i++) {
        try {
          TopicDescription d = admin.createTopic(prefix + i, partitions, 3);
          created++;
          leaderless += d.partitions().stream().filter(p -> p.leaderId() < 0).count();
        } catch (ApiException e) {
          System.out.println("topic " + (i + 1) + " refused: " + e.getClass().getSimpleName() + ": "
              + e.getMessage());
          break;
        }
      }
    }
    System.out.printf("created %d topics of %d partitions in %.0f s; %d partitions without a leader"
        + " when their create returned%n", created, partitions, (System.nanoTime() - start) / 1e9,
        leaderless);
  }
}
