package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.TopologyDocs;
import dev.hydrastream.streams.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topology describe}: writes the topology's description to {@code topologies/}. */
@Command(
    name = "topology",
    description = "Topology tools.",
    subcommands = TopologyCommand.Describe.class)
final class TopologyCommand extends CommandGroup {

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "Write the perception topology as text ("
              + TopologyDocs.TEXT_FILE
              + ") and a Mermaid diagram ("
              + TopologyDocs.MERMAID_FILE
              + ").")
  static final class Describe implements Callable<Integer> {

    @Option(
        names = "--out",
        defaultValue = "topologies",
        description = "Directory to write to (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--stdout", description = "Print the text description instead.")
    boolean stdout;

    @Override
    public Integer call() throws Exception {
      Topology t = TopologyDocs.defaultTopology();
      String text = TopologyDocs.text(t);
      if (stdout) {
        System.out.print(text);
        return 0;
      }
      Files.createDirectories(out);
      Files.writeString(out.resolve(TopologyDocs.TEXT_FILE), text);
      Files.writeString(
          out.resolve(TopologyDocs.MERMAID_FILE),
          TopologyDocs.mermaid(
              t, new Topics(Settings.of(java.util.Map.of()).getString(Settings.TOPIC_PREFIX))));
      System.out.println(
          "wrote "
              + out.resolve(TopologyDocs.TEXT_FILE)
              + " and "
              + out.resolve(TopologyDocs.MERMAID_FILE));
      return 0;
    }
  }
}
