package dev.hydrastream.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --set KEY=VALUE}: service setting overrides, for commands that run the service. */
final class SetOption {

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a service setting, e.g. commit.interval.ms=500 (repeatable).")
  Map<String, String> values = new LinkedHashMap<>();
}
