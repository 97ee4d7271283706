package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.demo.DemoSummary;
import dev.hydrastream.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line: help everywhere, shared options from mixins, bad settings named, --json output
 * is one document, the printer's two layouts.
 */
class CliTest {
  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void everyCommandHasHelp() {
    CliRun top = run("--help");
    assertThat(top.code()).isZero();
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      if (command.equals("help")) {
        continue;
      }
      CliRun r = run(command, "--help");
      assertThat(r.code()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: hydrastream " + command);
      assertThat(top.out()).contains(command);
    }
  }

  @Test
  void helpTextsHaveNoUnescapedPercentSign() {
    // picocli formats descriptions with String.format: a bare % makes it warn on stderr and print
    // the raw text ("90% bootstrap" must be written "90%% bootstrap"); the annotations' own text
    List<String> bad = new java.util.ArrayList<>();
    java.util.ArrayDeque<CommandLine> todo =
        new java.util.ArrayDeque<>(List.of(Main.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.pop();
      todo.addAll(c.getSubcommands().values());
      List<String> texts =
          new java.util.ArrayList<>(List.of(c.getCommandSpec().usageMessage().description()));
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if (o.userObject() instanceof java.lang.reflect.AnnotatedElement e
            && e.getAnnotation(CommandLine.Option.class) != null) {
          texts.addAll(List.of(e.getAnnotation(CommandLine.Option.class).description()));
        }
      }
      for (String t : texts) {
        if (t.replace("%%", "").replace("%n", "").contains("%")) {
          bad.add(c.getCommandName() + ": " + t);
        }
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void sharedOptionsComeFromMixinsWithTheirDefaults() {
    for (String command : List.of("doctor", "dataset", "infer", "eval", "demo")) {
      assertThat(run(command, "--help").out()).as(command).contains("--json");
    }
    for (String bench : List.of("sharing", "batching", "decode", "pipeline", "micro")) {
      String help = run("bench", bench, "--help").out();
      assertThat(help)
          .as(bench)
          .contains("--json")
          .contains("--out=DIR")
          .contains("(default: out/bench/" + bench + ")");
      if (!bench.equals("decode")) {
        assertThat(help)
            .as(bench)
            .contains("--model=MODEL_DIR")
            .contains("(default: " + ModelOption.DEFAULT + ")");
      }
    }
    assertThat(run("infer", "--help").out()).contains("--model=MODEL_DIR");
    assertThat(ModelOption.DEFAULT).isEqualTo("models/hydranet");
    for (String command : List.of("demo", "simulate")) {
      assertThat(run(command, "--help").out())
          .as(command)
          .contains("--cameras=")
          .contains("--fps=")
          .contains("--duration=")
          .contains("--format=");
    }
    assertThat(run("simulate", "--bootstrap", "localhost:1", "--cameras", "0").err())
        .contains("--cameras");
    for (String command : List.of("run", "demo", "bench pipeline")) {
      String[] args = (command + " --help").split(" ");
      assertThat(run(args).out()).as(command).contains("--set=KEY=VALUE");
    }
  }

  /** A result with every shape the printer lays out. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Sample(
      String machine,
      int framesIn,
      double ratioBatch8,
      double[] perRepeat,
      List<Row> rows,
      Nested nested,
      Map<String, Long> perTopic) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Row(String name, long flops, double fps, Map<String, Double> metrics) {}

  record Nested(double p50, double p99) {}

  @Test
  void printerRendersARecordAsATableAndAsJson() throws Exception {
    Sample s =
        new Sample(
            "2 cores",
            1184,
            2.5512,
            new double[] {2.5, 2.61},
            List.of(
                new Row("multi-task", 762_700_000L, 283.44, Map.of("map50", 0.3012)),
                new Row("scene", 120_000_000L, 1012.5, Map.of("map50", 0.0, "scene_acc", 0.97))),
            new Nested(135, 255.31),
            Map.of("perception.frames", 1184L));
    StringWriter text = new StringWriter();
    Printer.print(new PrintWriter(text), false, s);
    assertThat(text.toString().lines().toList())
        .containsExactly(
            "machine       2 cores",
            "frames_in     1184",
            "ratio_batch8  2.551",
            "per_repeat    2.5 2.61",
            "rows",
            "  name              flops     fps",
            "  multi-task  762,700,000   283.4",
            "  scene       120,000,000  1012.5",
            "  metrics by name",
            "               multi-task  scene",
            "    map50          0.3012      0",
            "    scene_acc           -   0.97",
            "nested",
            "  p50  135",
            "  p99  255.3",
            "per_topic",
            "  perception.frames  1184");
    StringWriter json = new StringWriter();
    Printer.print(new PrintWriter(json), true, s);
    JsonNode doc = CliRun.onlyDocument(json.toString());
    assertThat(doc.fieldNames())
        .toIterable()
        .containsExactly(
            "machine", "frames_in", "ratio_batch8", "per_repeat", "rows", "nested", "per_topic");
    assertThat(doc.at("/rows/1/fps").asDouble()).isEqualTo(1012.5);
    assertThat(doc.at("/nested/p99").asDouble()).isEqualTo(255.31);
  }

  @Test
  void demoJsonKeepsItsFieldNames() throws Exception {
    DemoSummary s =
        new DemoSummary(
            60.1,
            1190,
            6,
            3,
            1184,
            0,
            Map.of("perception.frames", 1184L),
            0,
            Map.of(),
            0,
            0,
            19.7,
            135,
            163,
            255,
            300,
            new DemoSummary.AfterWarmup(10, 1100, 130, 160, 250, 290),
            4,
            120,
            400,
            2.96,
            "exactly_once_v2",
            4,
            "2 cores",
            11_900,
            Map.of("OK", 1184L),
            0,
            Map.of("low-visibility-fast", 2L),
            Map.of("low-visibility-fast", 2L),
            null,
            null,
            null);
    assertThat(Json.MAPPER.valueToTree(s).fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "seconds",
            "frames_rendered",
            "frames_skipped_by_simulator",
            "frames_late_by_simulator",
            "frames_in",
            "frames_failed_to_send",
            "results",
            "dead_lettered",
            "dead_letter_reasons",
            "frames_lost",
            "duplicate_results",
            "throughput_fps",
            "latency_ms_p50",
            "latency_ms_p95",
            "latency_ms_p99",
            "latency_ms_max",
            "latency_after_warmup",
            "consumer_lag_max",
            "consumer_lag_samples",
            "model_calls",
            "mean_batch",
            "processing_guarantee",
            "stream_threads",
            "machine",
            "telemetry_in",
            "events_by_telemetry_status",
            "events_telemetry_missing_after_first_second",
            "alerts_by_rule",
            "alerts_on_dashboard_by_rule",
            "latency_breakdown",
            "shadow");
    assertThat(Printer.text(s))
        .containsPattern("frames_lost +0\n")
        .containsPattern("alerts_by_rule\n  low-visibility-fast +2")
        .contains("results\n  perception.frames  1184");
  }

  @Test
  void badDatasetSettingsFailWithTheSettingsName() {
    CliRun size = run("dataset", "--out", tmp.toString(), "--count", "3", "--size", "10x10");
    assertThat(size.code()).isNotZero();
    assertThat(size.err()).contains("--size");
    CliRun count = run("dataset", "--out", tmp.toString(), "--count", "0");
    assertThat(count.code()).isNotZero();
    assertThat(count.err()).contains("--count");
    CliRun missing = run("dataset", "--count", "3");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("--out");
  }

  /** {@code train} of {@code tmp} into {@code tmp/m} with {@code option value}. */
  private CliRun train(String option, String value) {
    return run(
        "train", "--data", tmp.toString(), "--out", tmp.resolve("m").toString(), option, value);
  }

  @Test
  void badTrainSettingsFailWithTheSettingsName() {
    CliRun weights = train("--loss-weights", "segg=2");
    assertThat(weights.code()).isNotZero();
    assertThat(weights.err()).contains("--loss-weights").contains("segg=2");
    CliRun negative = train("--loss-weights", "seg=-1");
    assertThat(negative.err()).contains("--loss-weights").contains("seg");
    CliRun input = train("--input", "100x100");
    assertThat(input.code()).isNotZero();
    assertThat(input.err()).contains("--input-height");
    CliRun decoder = train("--seg-decoder", "separate");
    assertThat(decoder.code()).isNotZero();
    assertThat(decoder.err()).contains("--seg-decoder").contains("separate");
    CliRun tasks = train("--tasks", "weather,lanes");
    assertThat(tasks.err()).contains("--tasks").contains("lanes");
  }

  @Test
  void evalCeilingScoresTheOracleAndRefusesBadSettings() throws Exception {
    Path d = tmp.resolve("d");
    assertThat(
            run(
                    "dataset",
                    "--out",
                    d.toString(),
                    "--count",
                    "4",
                    "--seed",
                    "3",
                    "--size",
                    "320x180",
                    "--split",
                    "test")
                .code())
        .isZero();
    CliRun r = run("eval", "--data", d.toString(), "--ceiling", "0,4", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("data", "split", "frames", "input", "min_instances", "ceilings");
    assertThat(doc.at("/ceilings/0").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("min_side_input_px", "map50", "map50_min_instances", "ap50");
    assertThat(doc.at("/ceilings/0/map50").asDouble()).isEqualTo(1.0);
    assertThat(doc.at("/ceilings/1/min_side_input_px").asDouble()).isEqualTo(4.0);
    assertThat(doc.get("input").asText()).isEqualTo("384x224");
    CliRun table = run("eval", "--data", d.toString(), "--ceiling", "0,4");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("input          384x224")
        .containsPattern("min_side_input_px +map50 +map50_min_instances")
        .contains("ap50 by min_side_input_px");
    CliRun noModel = run("eval", "--data", d.toString());
    assertThat(noModel.code()).isNotZero();
    assertThat(noModel.err()).contains("--model");
    CliRun negative = run("eval", "--data", d.toString(), "--ceiling", "-1");
    assertThat(negative.code()).isNotZero();
    assertThat(negative.err()).contains("--ceiling");
    CliRun input = run("eval", "--data", d.toString(), "--ceiling", "4", "--input", "224");
    assertThat(input.code()).isNotZero();
    assertThat(input.err()).contains("--input");
  }

  @Test
  void datasetJsonIsOneDocumentWithTheHistogram() throws Exception {
    CliRun r =
        run(
            "dataset",
            "--out",
            tmp.resolve("d").toString(),
            "--count",
            "6",
            "--seed",
            "4",
            "--size",
            "320x180",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.at("/summary/count").asInt()).isEqualTo(6);
    assertThat(doc.at("/summary/scene").size()).isEqualTo(6);
    assertThat(doc.at("/summary/categories").size()).isEqualTo(10);
    assertThat(doc.get("framesPerSecond").asDouble()).isPositive();
  }

  @Test
  void videoDatasetAndTrackingEvalJson() throws Exception {
    Path d = tmp.resolve("video");
    CliRun video =
        run(
            "dataset",
            "--video",
            "--out",
            d.toString(),
            "--count",
            "6",
            "--seed",
            "5",
            "--size",
            "320x180",
            "--json");
    assertThat(video.code()).as(video.err()).isZero();
    JsonNode summary = CliRun.onlyDocument(video.out());
    assertThat(summary.get("videos").asInt()).isEqualTo(1);
    assertThat(summary.get("frames").asInt()).isEqualTo(6);
    assertThat(summary.get("split").asText()).isEqualTo("val");
    CliRun r = run("eval", "--tracking", "--data", d.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.get("detections").asText()).isEqualTo("gt");
    assertThat(doc.get("frames").asInt()).isEqualTo(6);
    for (String metric : List.of("mota", "idf1", "id_switches", "hota", "det_a", "ass_a")) {
      assertThat(doc.has(metric)).as(metric).isTrue();
    }
    assertThat(doc.get("false_positives").asInt()).as("ground truth in, nothing made up").isZero();
    CliRun bad = run("eval", "--tracking", "--data", d.toString(), "--detections", "oracle");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--detections");
    CliRun setting = run("eval", "--tracking", "--data", d.toString(), "--set", "track.min.hits=0");
    assertThat(setting.code()).isNotZero();
    assertThat(setting.err()).contains("track.min.hits");
  }

  @Test
  void datasetRefusesANonEmptyDirectoryUnlessOverwrite() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("full"));
    Path old = java.nio.file.Files.writeString(dir.resolve("old.jpg"), "an earlier run");
    String[] args = {"dataset", "--out", dir.toString(), "--count", "2", "--size", "160x96"};
    CliRun refused = run(args);
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("--out").contains("not empty").contains("--overwrite");
    assertThat(old).exists();

    String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
    overwrite[args.length] = "--overwrite";
    CliRun r = run(overwrite);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(old).doesNotExist();
    assertThat(dir.resolve("splits.json")).exists();
    // not a terminal here: progress is plain lines, no carriage return
    assertThat(r.err()).contains("rendered 2/2").doesNotContain("\r");
  }

  @Test
  void doctorReportsTheRealRuntime() throws Exception {
    CliRun r = run("doctor", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.get("tensorflow").asText()).isEqualTo("2.16.1");
    assertThat(doc.get("djl").asText()).isEqualTo("0.36.0");
    assertThat(doc.get("opencv").asText()).startsWith("4.10");
    assertThat(doc.get("devices").toString()).contains("cpu()");
    assertThat(Path.of(doc.get("nativeCache").asText()).resolve("libjnitensorflow.so")).exists();
  }

  @Test
  void doctorPrintsTheSettingsWithSecretsHidden() throws Exception {
    String password = "pw-" + Long.toHexString(System.nanoTime());
    CliRun r =
        run(
            "doctor",
            "--json",
            "--set",
            "kafka.security.protocol=SASL_SSL",
            "--set",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"svc\" password=\""
                + password
                + "\";",
            "--set",
            "kafka.ssl.truststore.password=" + password);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).doesNotContain(password);
    JsonNode settings = CliRun.onlyDocument(r.out()).get("settings");
    assertThat(settings.get("kafka.sasl.jaas.config").asText()).isEqualTo("[hidden]");
    assertThat(settings.get("kafka.ssl.truststore.password").asText()).isEqualTo("[hidden]");
    assertThat(settings.get("kafka.security.protocol").asText()).isEqualTo("SASL_SSL");
  }
}
