package dev.hydrastream.cli;

import dev.hydrastream.bench.BatchingBench;
import dev.hydrastream.bench.DecodeBench;
import dev.hydrastream.bench.EventsBench;
import dev.hydrastream.bench.MicroReport;
import dev.hydrastream.bench.PipelineBench;
import dev.hydrastream.bench.ProfilesBench;
import dev.hydrastream.bench.SharingBench;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: one subcommand per benchmark of the {@code bench} package; each prints its report
 * (a table, or JSON with {@code --json}) and writes JSON and a chart to {@code --out}.
 */
@Command(
    name = "bench",
    description = "Benchmarks: ratios measured side by side in one run.",
    subcommands = {
      BenchCommand.Sharing.class,
      BenchCommand.Models.class,
      BenchCommand.Batching.class,
      BenchCommand.Decode.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Profiles.class,
      BenchCommand.Events.class,
      BenchCommand.Micro.class,
      MetricsBenchCommand.class,
      CapacityBenchCommand.class,
      ShadowBenchCommand.class
    })
final class BenchCommand extends CommandGroup {

  /** Multi-task model against its four single-task counterparts. */
  @Command(
      name = "sharing",
      mixinStandardHelpOptions = true,
      description = "Shared backbone vs four single-task models: FLOPs, parameters, throughput.")
  static final class Sharing implements Callable<Integer> {
    @Mixin ModelOption model;
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;

    @Option(
        names = "--baselines",
        paramLabel = "DIR",
        description =
            "Directory with trained single-task models (classification, detection,"
                + " segmentation, scene); default: untrained exports of the same graphs.")
    Path baselines;

    @Mixin PairedRepeats paired = new PairedRepeats(7);

    @Override
    public Integer call() throws Exception {
      out.publish(
          json,
          SharingBench.run(model.dir(), baselines, paired.seconds, paired.repeats, out.dir()));
      return 0;
    }
  }

  /** Model directories side by side: frames/s at batch 1 and 8, ratios to the first. */
  @Command(
      name = "models",
      mixinStandardHelpOptions = true,
      description =
          "Model directories side by side (DJL + TF, CPU): frames/s at batch 1 and 8, each"
              + " model's ratio to the first (median of paired repeats), FLOPs and card metrics.")
  static final class Models implements Callable<Integer> {
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;

    @picocli.CommandLine.Parameters(
        arity = "1..*",
        paramLabel = "MODEL_DIR",
        description = "Model directories; the first is the baseline of the ratios.")
    java.util.List<Path> dirs;

    @Mixin PairedRepeats paired = new PairedRepeats(7);

    @Override
    public Integer call() throws Exception {
      out.publish(
          json,
          dev.hydrastream.bench.ModelsBench.run(dirs, paired.seconds, paired.repeats, out.dir()));
      return 0;
    }
  }

  /** Full decode + resize against reduced-scale decode + resize. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = "OpenCV full JPEG decode + resize vs reduced-scale decode + resize (1280x720).")
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;

    @Option(
        names = "--frames",
        defaultValue = "60",
        description = "Frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--repeats", defaultValue = "5", description = "Repeats (median reported).")
    int repeats;

    @Option(
        names = "--input",
        defaultValue = "224x384",
        description = "Model input HEIGHTxWIDTH (default: ${DEFAULT-VALUE}).")
    String input;

    @Override
    public Integer call() throws Exception {
      int[] hw = Dimensions.parse(spec, "--input", input, "HEIGHTxWIDTH", 1, 8192);
      out.publish(json, DecodeBench.run(frames, hw[1], hw[0], repeats, out.dir()));
      return 0;
    }
  }

  /** Dynamic batching against per-record prediction at several concurrency levels. */
  @Command(
      name = "batching",
      mixinStandardHelpOptions = true,
      description =
          "Dynamic batching vs per-record prediction (DJL path, decoded input) at"
              + " 1, 2, 4, 8, 16 concurrent streams.")
  static final class Batching implements Callable<Integer> {
    @Mixin ModelOption model;
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;
    @Mixin PairedRepeats paired = new PairedRepeats(5);

    @Option(
        names = "--streams",
        defaultValue = "1,2,4,8,16",
        split = ",",
        description = "Concurrent streams (default: ${DEFAULT-VALUE}).")
    int[] streams;

    @Option(
        names = "--max-batch",
        defaultValue = "16",
        description = "Batcher's largest batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
        names = "--max-wait-ms",
        defaultValue = "2",
        description = "Batcher's longest wait for more frames (default: ${DEFAULT-VALUE}).")
    int maxWait;

    @Option(
        names = "--workers",
        defaultValue = "1",
        description =
            "Batcher's worker threads, each running its own batches"
                + " (default: ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() throws Exception {
      var options =
          new BatchingBench.Options(
              streams, paired.seconds, paired.repeats, maxBatch, maxWait, workers);
      out.publish(json, BatchingBench.run(model.dir(), options, out.dir()));
      return 0;
    }
  }

  /** End to end through an embedded broker against the limit and the naive baseline. */
  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description =
          "End to end through an embedded broker: capacity, latency at partial load,"
              + " the decode+model limit and the naive per-record baseline, in one run (rounds"
              + " pair the limit with the pipeline; the naive baseline warms up on half of"
              + " --warmup).")
  static final class Pipeline extends BacklogBenchCommand {
    Pipeline() {
      super(new BacklogRounds(4, 800, 2400, 5));
    }

    @Option(
        names = "--load",
        defaultValue = "0.5",
        description = "Paced load as a fraction of capacity (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(
        names = "--load-seconds",
        defaultValue = "20",
        description = "Duration of the paced run (default: ${DEFAULT-VALUE}).")
    double loadSeconds;

    @Override
    Object report() throws Exception {
      var options = new PipelineBench.Options(backlog.value(), load, loadSeconds, set.values);
      return PipelineBench.run(model.dir(), options, out.dir());
    }
  }

  /** Settings profiles side by side: full-load capacity and light-load latency, in one run. */
  @Command(
      name = "profiles",
      mixinStandardHelpOptions = true,
      description =
          "Settings profiles side by side through one embedded broker, each profile's service in"
              + " a JVM of its own with the profile's JVM flags: capacity at full load (a backlog"
              + " of 1280x720 frames) and capture-to-result latency at light load (one camera"
              + " paced at --light-fps), each service in turn in ABBA rounds.")
  static final class Profiles extends BacklogBenchCommand {
    Profiles() {
      super(new BacklogRounds(4, 400, 600, 4));
    }

    @Option(
        names = "--profiles",
        split = ",",
        defaultValue = "default,low-latency",
        description =
            "Profiles to compare; the first is the reference (default: ${DEFAULT-VALUE}).")
    java.util.List<String> profiles;

    @Option(
        names = "--light-fps",
        defaultValue = "5",
        description = "Light load: frames/s of one camera (default: ${DEFAULT-VALUE}).")
    double lightFps;

    @Option(
        names = "--light-seconds",
        defaultValue = "20",
        description = "Light-load seconds per round and profile (default: ${DEFAULT-VALUE}).")
    double lightSeconds;

    @Override
    Object report() throws Exception {
      var options =
          new ProfilesBench.Options(profiles, backlog.value(), lightFps, lightSeconds, set.values);
      return ProfilesBench.run(model.dir(), options, out.dir());
    }
  }

  /** CPU per frame with and without the telemetry join and alert rules, in one run. */
  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description =
          "CPU seconds per frame of the service with and without the telemetry join and the"
              + " alert rules: two instances on one embedded broker, paired rounds in ABBA order;"
              + " the process, the service (without the broker) and the event stages' cost"
              + " outside TensorFlow's threads (events_cost), each a median with a 90%% bootstrap"
              + " interval (stream threads: --set stream.threads=N).")
  static final class Events implements Callable<Integer> {
    @Mixin ModelOption model;
    @Mixin SetOption set;
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;

    @Option(
        names = "--frames",
        defaultValue = "200",
        description =
            "Frames per measurement, and per instance before the first (default:"
                + " ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--rounds",
        defaultValue = "12",
        description = "Paired rounds; medians reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
      var options = new EventsBench.Options(frames, rounds, set.values);
      out.publish(json, EventsBench.run(model.dir(), options, out.dir()));
      return 0;
    }
  }

  /** JMH microbenchmarks of decode, letterbox and result post-processing. */
  @Command(
      name = "micro",
      mixinStandardHelpOptions = true,
      description = {
        "JMH microbenchmarks: header sniffing, full/reduced decode, letterbox, result"
            + " records (mask PNG), Avro and JSON encoding. One forked JVM per benchmark.",
        "The benchmarks are test code: run this from a checkout with ./hydrastream."
      })
  static final class Micro implements Callable<Integer> {
    @Mixin ModelOption model;
    @Mixin BenchOutOption out;
    @Mixin JsonOption json;

    @Option(
        names = "--include",
        defaultValue = "dev\\.hydrastream\\.bench\\.micro\\..*",
        description = "Regex of benchmarks to run (default: all).")
    String include;

    @Option(
        names = "--iterations",
        defaultValue = "5",
        description = "Measurement iterations of 1 s (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws Exception {
      Method run;
      try {
        run =
            Class.forName(MicroReport.RUNNER)
                .getMethod("run", MicroReport.Options.class, Path.class);
      } catch (ClassNotFoundException e) {
        // JMH and the benchmarks are test code, absent from a distribution's classpath.
        throw new IllegalStateException(
            "bench micro needs the test classes: run it from a"
                + " checkout with ./hydrastream bench micro (the launcher builds and adds them)");
      }
      var options = new MicroReport.Options(include, iterations, model.dir());
      try {
        out.publish(json, run.invoke(null, options, out.dir()));
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      return 0;
    }
  }
}
