package dev.hydrastream.cli;

import dev.hydrastream.bench.MetricsCostBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class MetricsBenchCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin BenchOutOption out;
  @Mixin SetOption set;
  @Mixin JsonOption json;
  @Mixin BacklogRounds backlog = new BacklogRounds(4, 500, 1200, 15);

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
  public Integer call() throws Exception {
    var options =
        new MetricsCostBench.Options(
            backlog.threads,
            backlog.frames,
            backlog.warmup,
            backlog.rounds,
            same,
            offFirst,
            set.values);
    out.publish(json, MetricsCostBench.run(model.dir(), options, out.dir()));
    return 0;
  }
}
