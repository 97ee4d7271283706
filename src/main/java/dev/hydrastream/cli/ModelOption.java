package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option of commands that run a model. Its default is the service's {@code
 * model.dir} default, so the tools measure the model the service would serve.
 */
final class ModelOption {

  /** The {@code model.dir} setting's default, from the one place settings are defined. */
  static final String DEFAULT =
      (String) Settings.DEF.configKeys().get(Settings.MODEL_DIR).defaultValue;

  @Option(
      names = "--model",
      paramLabel = "MODEL_DIR",
      description = "Model directory (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of(DEFAULT);

  /**
   * The model directory to use: relative paths that do not exist here are looked up in the
   * installation directory, so the default model is found from any working directory.
   */
  Path dir() {
    return Settings.installRelative(dir);
  }
}
