package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code docs}: rewrites the README's generated tables (commands, settings) from the code. */
@Command(
    name = "docs",
    mixinStandardHelpOptions = true,
    description =
        "Rewrite the README's command and settings tables from the code (picocli, ConfigDef);"
            + " --check only reports the tables that differ and exits 1 if any does.")
final class DocsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--file",
      defaultValue = "README.md",
      description = "The README (default: ${DEFAULT-VALUE} of the installation).")
  Path file;

  @Option(names = "--check", description = "Change nothing; exit 1 when a table is out of date.")
  boolean check;

  @Override
  public Integer call() throws Exception {
    Path readme = Settings.installRelative(file);
    String text = Files.readString(readme);
    Map<String, String> blocks = CommandDocs.blocks(spec.root().commandLine());
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> b : blocks.entrySet()) {
      if (!CommandDocs.apply(text, Map.of(b.getKey(), b.getValue())).equals(text)) {
        stale.add(b.getKey());
      }
    }
    if (check) {
      spec.commandLine()
          .getOut()
          .println(
              stale.isEmpty()
                  ? readme + ": tables up to date"
                  : readme + ": out of date: " + String.join(", ", stale));
      return stale.isEmpty() ? 0 : 1;
    }
    Files.writeString(readme, CommandDocs.apply(text, blocks));
    spec.commandLine()
        .getOut()
        .println(
            readme
                + (stale.isEmpty()
                    ? ": tables up to date"
                    : ": rewrote " + String.join(", ", stale)));
    return 0;
  }
}
