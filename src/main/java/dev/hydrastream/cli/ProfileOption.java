package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --profile NAME}: a named set of settings under the user's own (docs/streaming.md). */
final class ProfileOption {

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "default",
      description =
          "Settings profile under --config, HYDRA_* and --set: default, or low-latency (commit"
              + " after every loop, no batch wait, no producer linger, quick retries; the launcher"
              + " adds the profile's JVM flags, -XX:TieredStopAtLevel=1; see docs/streaming.md)"
              + " (default: ${DEFAULT-VALUE}).")
  String name;

  /** The profile's settings (empty for {@code default}). */
  Map<String, String> values() {
    return Settings.profile(name);
  }
}
