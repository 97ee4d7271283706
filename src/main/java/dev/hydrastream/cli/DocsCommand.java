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

/**
 * {@code docs}: rewrites the generated tables of {@code docs/} from the code: commands ({@code
 * docs/commands.md}), settings ({@code docs/settings.md}) and the model's heads ({@code
 * docs/contracts.md}).
 */
@Command(
    name = "docs",
    mixinStandardHelpOptions = true,
    description =
        "Rewrite the generated tables of docs/ from the code (docs/commands.md from picocli,"
            + " docs/settings.md from the ConfigDef, the heads in docs/contracts.md from the model"
            + " vocabulary, the result topics in docs/streaming.md from the registry of result"
            + " outputs); --check only reports the tables that differ and exits 1 if any does.")
final class DocsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--root",
      defaultValue = ".",
      description =
          "The checkout whose docs/ to rewrite (default: the working directory if it has the"
              + " docs/ pages, else the installation).")
  Path root;

  @Option(names = "--check", description = "Change nothing; exit 1 when a table is out of date.")
  boolean check;

  @Override
  public Integer call() throws Exception {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> f :
        CommandDocs.blocks(spec.root().commandLine()).entrySet()) {
      Path file = Settings.installRelative(root.resolve(f.getKey()));
      String text = Files.readString(file);
      String updated = CommandDocs.apply(text, f.getValue());
      for (String block : f.getValue().keySet()) {
        if (!CommandDocs.apply(text, Map.of(block, f.getValue().get(block))).equals(text)) {
          stale.add(f.getKey() + " (" + block + ")");
        }
      }
      if (!check && !updated.equals(text)) {
        Files.writeString(file, updated);
      }
    }
    String verdict =
        stale.isEmpty()
            ? "generated tables up to date"
            : (check ? "out of date: " : "rewrote ") + String.join(", ", stale);
    spec.commandLine().getOut().println(verdict);
    return check && !stale.isEmpty() ? 1 : 0;
  }
}
