package dev.runnel.cli.dev;

import java.util.List;
import java.util.Optional;

/**
 * Which JIT compilers the brokers of a dev cluster use. Several broker JVMs on one host compete for
 * its cores, and C2 compiling their Ratis, gRPC, Netty and protobuf code (two copies of the last
 * three: ours and Ratis's shaded one) is most of their CPU for minutes. Measured on 2 cores with 3
 * brokers under W1 (docs/performance.md, "The JIT"): brokers stopping at C1 used 40 % less CPU
 * per record and produced 1.3-1.8x faster in each of five runs after the warm-up. With at least two cores
 * per broker the default tiered compilers are kept: C2's code pays back once it is compiled.
 */
final class JitChoice {

  /** Cores per broker below which the brokers run C1 only. */
  static final int MIN_CORES_PER_BROKER_FOR_C2 = 2;

  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  private JitChoice() {}

  /**
   * The option to add to each broker's JVM, if any: none for one broker (it runs in this JVM), none
   * when the user chose the compilers already ({@code RUNNEL_JAVA_OPTS}), none with enough cores.
   */
  static Optional<String> forBrokers(int brokers, int cores, List<String> inheritedOptions) {
    if (brokers <= 1 || cores >= MIN_CORES_PER_BROKER_FOR_C2 * brokers) {
      return Optional.empty();
    }
    for (String option : inheritedOptions) {
      if (option.startsWith("-XX:TieredStopAtLevel") || option.startsWith("-XX:+TieredCompilation")
          || option.startsWith("-XX:-TieredCompilation")) {
        return Optional.empty();
      }
    }
    return Optional.of(C1_ONLY);
  }
}
