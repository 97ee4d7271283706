package dev.hydrastream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --out} option of a benchmark: the directory for its JSON file and chart, by default
 * {@code out/bench/<subcommand name>} so runs of different benchmarks never overwrite each other.
 */
final class BenchOutOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where to write the JSON file and the chart (default: out/bench/${COMMAND-NAME}).")
  Path out;

  /** The output directory: {@code --out}, or {@code out/bench/<subcommand name>}. */
  Path dir() {
    return out != null ? out : Path.of("out", "bench", mixee.name());
  }

  /**
   * Prints {@code report} (see {@link JsonOption#print}) and, in text mode, which files the
   * benchmark wrote.
   */
  void publish(JsonOption json, Object report) throws IOException {
    json.print(report);
    if (!json.enabled()) {
      PrintWriter o = mixee.commandLine().getOut();
      try (var files = Files.list(dir())) {
        o.println(
            "wrote "
                + dir()
                + "/: "
                + String.join(
                    ", ",
                    files
                        .filter(Files::isRegularFile)
                        .map(f -> f.getFileName().toString())
                        .sorted()
                        .toList()));
      }
      o.flush();
    }
  }
}
