package dev.hydrastream.cli;

import dev.hydrastream.bench.MetricsCostBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench metrics}: pipeline throughput with metrics on against off, paired in one run. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description =
        "What the metrics cost: two services (hydrastream run, a JVM each, one embedded broker),"
            + " metrics.enabled=true vs false, drain equal backlogs in turn (ABBA); throughput by"
            + " the broker's append times and process CPU per frame, the median of the per-round"
            + " on/off ratios with a 95%% interval.")
final class MetricsBenchCommand extends BacklogBenchCommand {
  MetricsBenchCommand() {
    super(new BacklogRounds(4, 500, 1200, 15));
  }

  @Option(
      names = "--same",
      description =
          "Both services without metrics (an A/A run): the interval is the method's own noise.")
  boolean same;

  @Option(
      names = "--off-first",
      description =
          "Start (and scrape) the service without metrics first: run once with and once without"
              + " to see whether a service's position favours it.")
  boolean offFirst;

  @Override
  Object report() throws Exception {
    var options = new MetricsCostBench.Options(backlog.value(), same, offFirst, set.values);
    return MetricsCostBench.run(model.dir(), options, out.dir());
  }
}
