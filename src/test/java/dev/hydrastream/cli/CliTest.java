package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: help everywhere, bad settings named, --json output is one document. */
class CliTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    Run top = run("--help");
    assertThat(top.code()).isZero();
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      if (command.equals("help")) {
        continue;
      }
      Run r = run(command, "--help");
      assertThat(r.code()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: hydrastream " + command);
      assertThat(top.out()).contains(command);
    }
  }

  @Test
  void badDatasetSettingsFailWithTheSettingsName() {
    Run size = run("dataset", "--out", tmp.toString(), "--count", "3", "--size", "10x10");
    assertThat(size.code()).isNotZero();
    assertThat(size.err()).contains("--size");
    Run count = run("dataset", "--out", tmp.toString(), "--count", "0");
    assertThat(count.code()).isNotZero();
    assertThat(count.err()).contains("--count");
    Run missing = run("dataset", "--count", "3");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("--out");
  }

  @Test
  void badTrainSettingsFailWithTheSettingsName() {
    Run weights =
        run(
            "train",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--loss-weights",
            "segg=2");
    assertThat(weights.code()).isNotZero();
    assertThat(weights.err()).contains("--loss-weights").contains("segg=2");
    Run negative =
        run(
            "train",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--loss-weights",
            "seg=-1");
    assertThat(negative.err()).contains("--loss-weights").contains("seg");
    Run input =
        run(
            "train",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--input",
            "100x100");
    assertThat(input.code()).isNotZero();
    assertThat(input.err()).contains("--input-height");
    Run decoder =
        run(
            "train",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--seg-decoder",
            "separate");
    assertThat(decoder.code()).isNotZero();
    assertThat(decoder.err()).contains("--seg-decoder").contains("separate");
    Run tasks =
        run(
            "train",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--tasks",
            "weather,lanes");
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
    Run r = run("eval", "--data", d.toString(), "--ceiling", "0,4", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.at("/ceilings/0/map50").asDouble()).isEqualTo(1.0);
    assertThat(doc.at("/ceilings/1/min_side_input_px").asDouble()).isEqualTo(4.0);
    assertThat(doc.get("input").asText()).isEqualTo("384x224");
    Run noModel = run("eval", "--data", d.toString());
    assertThat(noModel.code()).isNotZero();
    assertThat(noModel.err()).contains("--model");
    Run negative = run("eval", "--data", d.toString(), "--ceiling", "-1");
    assertThat(negative.code()).isNotZero();
    assertThat(negative.err()).contains("--ceiling");
    Run input = run("eval", "--data", d.toString(), "--ceiling", "4", "--input", "224");
    assertThat(input.code()).isNotZero();
    assertThat(input.err()).contains("--input");
  }

  @Test
  void datasetJsonIsOneDocumentWithTheHistogram() throws Exception {
    Run r =
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
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.at("/summary/count").asInt()).isEqualTo(6);
    assertThat(doc.at("/summary/scene").size()).isEqualTo(6);
    assertThat(doc.at("/summary/categories").size()).isEqualTo(10);
    assertThat(doc.get("framesPerSecond").asDouble()).isPositive();
  }

  @Test
  void doctorReportsTheRealRuntime() throws Exception {
    Run r = run("doctor", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("tensorflow").asText()).isEqualTo("2.16.1");
    assertThat(doc.get("djl").asText()).isEqualTo("0.36.0");
    assertThat(doc.get("opencv").asText()).startsWith("4.10");
    assertThat(doc.get("devices").toString()).contains("cpu()");
    assertThat(Path.of(doc.get("nativeCache").asText()).resolve("libjnitensorflow.so")).exists();
  }
}
