package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --set KEY=VALUE}: the service's settings as {@code run} reads
 * them (file, then {@code HYDRA_*} variables, then overrides), for tools that talk to the service's
 * cluster and files.
 */
final class ServiceSettingsOption {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a service setting, e.g. model.repository=/srv/models (repeatable).")
  Map<String, String> values = new LinkedHashMap<>();

  Settings settings() {
    return Settings.load(config, System.getenv(), values);
  }
}
