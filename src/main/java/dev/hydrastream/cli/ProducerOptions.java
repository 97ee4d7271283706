package dev.hydrastream.cli;

import dev.hydrastream.streams.topics.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the commands that produce camera frames write: {@code --bootstrap}, {@code --topic-prefix}
 * and extra producer settings; shared by {@code simulate} and {@code camera}.
 */
final class ProducerOptions {

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka brokers host:port,...")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Topic name prefix.")
  String prefix;

  @Option(
      names = "--producer",
      paramLabel = "KEY=VALUE",
      description =
          "Extra Kafka producer setting (e.g. security.protocol=SSL, max.request.size=1048576).")
  Map<String, String> settings = new LinkedHashMap<>();

  /** The topics under {@code --topic-prefix}. */
  Topics topics() {
    return new Topics(prefix);
  }
}
