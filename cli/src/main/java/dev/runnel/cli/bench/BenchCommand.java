package dev.runnel.cli.bench;

import dev.runnel.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code runnel bench ...}: load generators for performance comparisons. */
@Command(name = "bench", description = "Benchmark a cluster (produce, consume, e2e, run a workload file).", mixinStandardHelpOptions = true,
    subcommands = {ProduceBench.class, ConsumeBench.class, EndToEndBench.class, WorkloadBench.class})
public final class BenchCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(main.out());
    return Main.EXIT_USAGE;
  }
}
