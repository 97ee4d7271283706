package dev.hydrastream.cli;

import dev.hydrastream.bench.SharingBench;
import dev.hydrastream.util.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks with one command each; every one prints a table and writes JSON and a chart. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: ratios measured side by side in one run.",
    subcommands = {
      BenchCommand.Sharing.class,
      BenchCommand.Batching.class,
      BenchCommand.Decode.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Micro.class,
      MetricsBenchCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A benchmark's JSON document, starting with the machine it ran on. */
  static Map<String, Object> report() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "machine",
        Runtime.getRuntime().availableProcessors()
            + " cores, "
            + System.getProperty("os.arch")
            + ", "
            + System.getProperty("os.name"));
    return doc;
  }

  /** Prints {@code doc} as JSON ({@code --json}) or the table, and says what was written. */
  static int publish(
      CommandSpec spec,
      boolean json,
      Map<String, Object> doc,
      Path out,
      java.util.function.Consumer<PrintWriter> table)
      throws java.io.IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(Json.MAPPER.writeValueAsString(doc));
    } else {
      table.accept(o);
      try (var files = Files.list(out)) {
        o.println(
            "wrote "
                + out
                + "/: "
                + String.join(
                    ", ",
                    files
                        .filter(Files::isRegularFile)
                        .map(f -> f.getFileName().toString())
                        .sorted()
                        .toList()));
      }
    }
    o.flush();
    return 0;
  }

  /** Multi-task model against its four single-task counterparts. */
  @Command(
      name = "sharing",
      mixinStandardHelpOptions = true,
      description = "Shared backbone vs four single-task models: FLOPs, parameters, throughput.")
  static final class Sharing implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        defaultValue = "models/hydranet",
        description = "Multi-task model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(
        names = "--baselines",
        description =
            "Directory with trained single-task models (classification, detection,"
                + " segmentation, scene); default: untrained exports of the same graphs.")
    Path baselines;

    @Option(
        names = "--out",
        defaultValue = "out/bench/sharing",
        description = "Where to write sharing.json and sharing.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--seconds",
        defaultValue = "2",
        description = "Seconds per model, batch size and repeat (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--repeats",
        defaultValue = "7",
        description =
            "Repeats; the median of the per-repeat ratios is reported"
                + " (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(out);
      SharingBench.Result result =
          SharingBench.run(model, baselines, out.resolve("models"), seconds, repeats);
      List<SharingBench.Row> rows = result.rows();
      SharingBench.Row multi = rows.get(0);
      double singlesFlops = 0;
      double singlesTime1 = 0;
      double singlesTime8 = 0;
      for (SharingBench.Row r : rows.subList(1, rows.size())) {
        singlesFlops += r.flops();
        singlesTime1 += 1 / r.fpsBatch1();
        singlesTime8 += 1 / r.fpsBatch8();
      }
      Map<String, Object> doc = report();
      doc.put("models", rows);
      doc.put("flops_ratio_multi_over_singles", multi.flops() / singlesFlops);
      doc.put("singles_combined_fps_batch1", 1 / singlesTime1);
      doc.put("singles_combined_fps_batch8", 1 / singlesTime8);
      doc.put("throughput_ratio_batch1", result.ratioBatch1());
      doc.put("throughput_ratio_batch8", result.ratioBatch8());
      doc.put("throughput_ratios_per_repeat_batch1", result.ratiosBatch1());
      doc.put("throughput_ratios_per_repeat_batch8", result.ratiosBatch8());
      doc.put("repeats", repeats);
      doc.put("seconds_per_measurement", seconds);
      Files.writeString(out.resolve("sharing.json"), Json.MAPPER.writeValueAsString(doc) + "\n");
      List<String> names = new ArrayList<>();
      double[][] values = new double[2][rows.size() + 1];
      for (int i = 0; i < rows.size(); i++) {
        names.add(rows.get(i).name());
        values[0][i] = rows.get(i).fpsBatch1();
        values[1][i] = rows.get(i).fpsBatch8();
      }
      names.add("4 singles together");
      values[0][rows.size()] = 1 / singlesTime1;
      values[1][rows.size()] = 1 / singlesTime8;
      dev.hydrastream.util.Charts.bars(
          out.resolve("sharing.png"),
          "Shared backbone vs four single-task models (frames/s, DJL + TF, CPU)",
          "frames/s",
          names,
          List.of("batch 1", "batch 8"),
          values);
      double flops = singlesFlops;
      double time1 = singlesTime1;
      double time8 = singlesTime8;
      return publish(
          spec,
          json,
          doc,
          out,
          o -> {
            o.printf(
                "%-18s %10s %10s %12s %12s%n",
                "model", "MFLOPs", "params", "fps batch1", "fps batch8");
            for (SharingBench.Row r : rows) {
              o.printf(
                  "%-18s %10.1f %10d %12.1f %12.1f%n",
                  r.name(), r.flops() / 1e6, r.parameters(), r.fpsBatch1(), r.fpsBatch8());
            }
            o.printf(
                "%-18s %10.1f %10s %12.1f %12.1f%n",
                "4 singles together", flops / 1e6, "", 1 / time1, 1 / time8);
            o.printf(
                "multi-task FLOPs = %.1f%% of the four singles; throughput ratio %.2fx (batch 1),"
                    + " %.2fx (batch 8): median of %d paired repeats (batch 8 per repeat: %s)%n",
                100 * multi.flops() / flops,
                result.ratioBatch1(),
                result.ratioBatch8(),
                repeats,
                join(result.ratiosBatch8(), "%.2f"));
          });
    }
  }

  static String join(double[] values, String format) {
    return java.util.Arrays.stream(values)
        .mapToObj(v -> String.format(format, v))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  /** Full decode + resize against reduced-scale decode + resize. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = "OpenCV full JPEG decode + resize vs reduced-scale decode + resize (1280x720).")
  static final class Decode implements Callable<Integer> {
    @Spec CommandSpec spec;

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

    @Option(
        names = "--out",
        defaultValue = "out/bench/decode",
        description = "Where to write decode.json and decode.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      int[] hw = Dimensions.parse(spec, "--input", input, "HEIGHTxWIDTH", 1, 8192);
      var r = dev.hydrastream.bench.DecodeBench.run(frames, hw[1], hw[0], repeats);
      Files.createDirectories(out);
      Map<String, Object> doc = report();
      doc.put("threads", 1);
      doc.put("result", r);
      doc.put("ratio_reduced_over_full", r.ratio());
      Files.writeString(out.resolve("decode.json"), Json.MAPPER.writeValueAsString(doc) + "\n");
      dev.hydrastream.util.Charts.bars(
          out.resolve("decode.png"),
          "JPEG 1280x720 -> model input " + input + " (frames/s, one thread)",
          "frames/s",
          List.of("full decode + resize", "reduced-scale decode + resize"),
          List.of("median"),
          new double[][] {{r.fullFps(), r.reducedFps()}});
      return publish(
          spec,
          json,
          doc,
          out,
          o -> {
            o.printf("%-32s %10s%n", "path", "frames/s");
            o.printf("%-32s %10.1f%n", "full decode + resize", r.fullFps());
            o.printf("%-32s %10.1f%n", "reduced-scale decode + resize", r.reducedFps());
            o.printf("ratio %.2fx (%d frames, median of %d)%n", r.ratio(), r.frames(), repeats);
          });
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
    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        defaultValue = "models/hydranet",
        description = "Model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(
        names = "--streams",
        defaultValue = "1,2,4,8,16",
        split = ",",
        description = "Concurrent streams (default: ${DEFAULT-VALUE}).")
    int[] streams;

    @Option(
        names = "--seconds",
        defaultValue = "2",
        description = "Seconds per mode, level and repeat (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--repeats",
        defaultValue = "5",
        description =
            "Repeats; frames/s are medians, the ratio is the median of the per-repeat"
                + " ratios (default: ${DEFAULT-VALUE}).")
    int repeats;

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

    @Option(
        names = "--out",
        defaultValue = "out/bench/batching",
        description = "Where to write batching.json and batching.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<dev.hydrastream.bench.BatchingBench.Point> points;
      try (var m =
          dev.hydrastream.inference.PerceptionModel.load(
              model, dev.hydrastream.inference.PerceptionModel.Options.defaults())) {
        points =
            dev.hydrastream.bench.BatchingBench.run(
                m, streams, seconds, repeats, maxBatch, maxWait, workers);
      }
      Files.createDirectories(out);
      Map<String, Object> doc = report();
      doc.put("model", model.toString());
      doc.put("max_batch", maxBatch);
      doc.put("max_wait_ms", maxWait);
      doc.put("points", points);
      Files.writeString(out.resolve("batching.json"), Json.MAPPER.writeValueAsString(doc) + "\n");
      List<String> names = new ArrayList<>();
      double[][] values = new double[2][points.size()];
      for (int i = 0; i < points.size(); i++) {
        names.add(points.get(i).streams() + " streams");
        values[0][i] = points.get(i).perRecordFps();
        values[1][i] = points.get(i).batchedFps();
      }
      dev.hydrastream.util.Charts.bars(
          out.resolve("batching.png"),
          "Dynamic batching vs per-record predict (frames/s, DJL + TF, CPU)",
          "frames/s",
          names,
          List.of("per-record", "dynamic batching"),
          values);
      return publish(
          spec,
          json,
          doc,
          out,
          o -> {
            o.printf(
                "%8s %14s %14s %10s %8s%n",
                "streams", "per-record fps", "batched fps", "mean batch", "ratio");
            for (var p : points) {
              o.printf(
                  "%8d %14.1f %14.1f %10.2f %7.2fx%n",
                  p.streams(), p.perRecordFps(), p.batchedFps(), p.meanBatch(), p.ratio());
            }
          });
    }
  }

  /** End to end through an embedded broker against the limit and the naive baseline. */
  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description =
          "End to end through an embedded broker: capacity, latency at partial load,"
              + " the decode+model limit and the naive per-record baseline, in one run.")
  static final class Pipeline implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        defaultValue = "models/hydranet",
        description = "Model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(
        names = "--threads",
        defaultValue = "4",
        description = "Stream threads of the pipeline (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--frames",
        defaultValue = "800",
        description = "Backlog per capacity measurement (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--warmup",
        defaultValue = "2400",
        description =
            "Frames processed before the first round; half of it for the naive"
                + " baseline (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description =
            "Paired limit / pipeline rounds; medians reported" + " (default: ${DEFAULT-VALUE}).")
    int rounds;

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

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description =
            "Override a service setting of the pipeline runs (e.g." + " commit.interval.ms=500).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(
        names = "--out",
        defaultValue = "out/bench/pipeline",
        description = "Where to write pipeline.json and pipeline.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(out);
      Path work = Files.createTempDirectory("hydra-bench-pipeline");
      dev.hydrastream.bench.PipelineBench.Result r;
      try {
        r =
            dev.hydrastream.bench.PipelineBench.run(
                model, threads, frames, warmup, rounds, load, loadSeconds, work, set);
      } finally {
        DemoCommand.deleteTree(work);
      }
      Map<String, Object> doc = report();
      doc.put("result", r);
      doc.put("pipeline_over_limit", r.pipelineOverLimit());
      doc.put("pipeline_over_limit_per_round", r.roundRatios());
      doc.put("pipeline_over_naive", r.pipelineOverNaive());
      doc.put("settings", set);
      Files.writeString(out.resolve("pipeline.json"), Json.MAPPER.writeValueAsString(doc) + "\n");
      dev.hydrastream.util.Charts.bars(
          out.resolve("pipeline.png"),
          "1280x720 frames through Kafka (frames/s, " + threads + " stream threads, CPU)",
          "frames/s",
          List.of("decode+model limit", "pipeline (EOS, batching)", "naive mapValues"),
          List.of("frames/s"),
          new double[][] {{r.limitFps(), r.pipelineFps(), r.naiveFps()}});
      return publish(
          spec,
          json,
          doc,
          out,
          o -> {
            o.printf("%-50s %10s%n", "measurement", "value");
            o.printf(
                "%-50s %10.1f   rounds: %s%n",
                "limit: decode + batched model, frames/s",
                r.limitFps(),
                join(r.limitsFps(), "%.1f"));
            o.printf(
                "%-50s %10.1f   rounds: %s%n",
                "pipeline capacity (backlog), frames/s",
                r.pipelineFps(),
                join(r.pipelinesFps(), "%.1f"));
            o.printf("%-50s %10.1f%n", "naive baseline (backlog), frames/s", r.naiveFps());
            o.printf(
                "%-50s %10.2f   rounds: %s (after %d warm-up frames)%n",
                "pipeline / limit (median of rounds)",
                r.pipelineOverLimit(),
                join(r.roundRatios(), "%.2f"),
                r.warmupFrames());
            o.printf("%-50s %10.2f%n", "pipeline / naive", r.pipelineOverNaive());
            o.printf("%-50s %10.2f%n", "mean batch at capacity", r.meanBatchAtCapacity());
            o.printf(
                "latency at %.0f%% load (%.1f frames/s, %d frames, %d lost): p50 %.0f ms, p95 %.0f"
                    + " ms, p99 %.0f ms%n",
                100 * load,
                r.loadFps(),
                r.loadFramesSent(),
                r.loadFramesLost(),
                r.p50Ms(),
                r.p95Ms(),
                r.p99Ms());
          });
    }
  }

  /** JMH microbenchmarks of decode, letterbox and result post-processing. */
  @Command(
      name = "micro",
      mixinStandardHelpOptions = true,
      description =
          "JMH microbenchmarks: header sniffing, full/reduced decode, letterbox, result"
              + " records (mask PNG), Avro and JSON encoding. One forked JVM per benchmark.")
  static final class Micro implements Callable<Integer> {
    @Spec CommandSpec spec;

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

    @Option(
        names = "--out",
        defaultValue = "out/bench/micro",
        description =
            "Where to write micro.json (JMH's JSON) and micro.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(out);
      Path jmhJson = out.resolve("micro.json");
      var opts =
          new org.openjdk.jmh.runner.options.OptionsBuilder()
              .include(include)
              .forks(1)
              .warmupIterations(2)
              .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
              .measurementIterations(iterations)
              .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
              .jvmArgsAppend("-Xmx2g", "-Djava.awt.headless=true")
              .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
              .result(jmhJson.toString())
              .output(out.resolve("jmh.log").toString())
              .build();
      var results = new org.openjdk.jmh.runner.Runner(opts).run();
      List<String> names = new ArrayList<>();
      List<Map<String, Object>> rows = new ArrayList<>();
      double[][] values = new double[1][results.size()];
      int i = 0;
      for (var r : results) {
        var pr = r.getPrimaryResult();
        String name = r.getParams().getBenchmark().replace("dev.hydrastream.bench.micro.", "");
        names.add(name.replace("Benchmarks.", "."));
        values[0][i++] = pr.getScore();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", name);
        row.put("score", pr.getScore());
        row.put("error", pr.getScoreError());
        row.put("unit", pr.getScoreUnit());
        rows.add(row);
      }
      dev.hydrastream.util.Charts.bars(
          out.resolve("micro.png"),
          "Per-frame work outside the model (JMH, us/op, one thread)",
          "us/op",
          names,
          List.of("mean"),
          values);
      Map<String, Object> doc = report();
      doc.put("results", rows);
      return publish(
          spec,
          json,
          doc,
          out,
          o -> {
            o.printf("%-36s %12s %10s%n", "benchmark", "us/op", "+-");
            for (var row : rows) {
              o.printf(
                  "%-36s %12.3f %10.3f%n",
                  row.get("benchmark"), row.get("score"), row.get("error"));
            }
          });
    }
  }
}
