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
            + " on/off ratios with a 95% interval.")
final class MetricsBenchCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin BenchOutOption out;
  @Mixin SetOption set;
  @Mixin JsonOption json;

  @Option(
      names = "--threads",
      defaultValue = "4",
      description = "Stream threads of each service (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--frames",
      defaultValue = "500",
      description = "Backlog per drain (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--warmup",
      defaultValue = "1200",
      description = "Frames each service processes first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--rounds",
      defaultValue = "15",
      description = "Paired on/off drains (default: ${DEFAULT-VALUE}).")
  int rounds;

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
        new MetricsCostBench.Options(threads, frames, warmup, rounds, same, offFirst, set.values);
    out.publish(json, MetricsCostBench.run(model.dir(), options, out.dir()));
    return 0;
  }
}
