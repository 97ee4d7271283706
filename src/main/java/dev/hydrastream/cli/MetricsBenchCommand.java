package dev.hydrastream.cli;

import dev.hydrastream.bench.MetricsCostBench;
import dev.hydrastream.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench metrics}: pipeline throughput with metrics on against off, paired in one run. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description =
        "What the metrics cost: pipeline throughput (embedded broker, exactly-once, batching)"
            + " with metrics.enabled=true vs false, paired rounds in one run, median of the"
            + " per-round ratios.")
final class MetricsBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "models/hydranet",
      description = "Model (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(
      names = "--threads",
      defaultValue = "4",
      description = "Stream threads of each service (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--frames",
      defaultValue = "600",
      description = "Backlog per drain (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--warmup",
      defaultValue = "1200",
      description = "Frames each service processes first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--rounds",
      defaultValue = "7",
      description = "Paired on/off drains (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a service setting.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--out",
      defaultValue = "out/bench/metrics",
      description = "Where to write metrics.json (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("hydra-bench-metrics");
    MetricsCostBench.Result r;
    try {
      r = MetricsCostBench.run(model, threads, frames, warmup, rounds, work, set);
    } finally {
      DemoCommand.deleteTree(work);
    }
    Map<String, Object> doc = BenchCommand.report();
    doc.put("result", r);
    doc.put("on_over_off", r.onOverOff());
    doc.put("settings", set);
    Files.writeString(out.resolve("metrics.json"), Json.MAPPER.writeValueAsString(doc) + "\n");
    return BenchCommand.publish(
        spec,
        json,
        doc,
        out,
        o -> {
          o.printf(
              "%-40s %8.1f   rounds: %s%n",
              "metrics on, frames/s", r.onMedianFps(), BenchCommand.join(r.onFps(), "%.1f"));
          o.printf(
              "%-40s %8.1f   rounds: %s%n",
              "metrics off, frames/s", r.offMedianFps(), BenchCommand.join(r.offFps(), "%.1f"));
          o.printf(
              "%-40s %8.3f   rounds: %s (median of %d paired rounds; %d scrapes)%n",
              "on / off",
              r.onOverOff(),
              BenchCommand.join(r.ratios(), "%.3f"),
              r.ratios().length,
              r.scrapes());
        });
  }
}
