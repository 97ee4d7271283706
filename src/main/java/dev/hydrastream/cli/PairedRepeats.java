package dev.hydrastream.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --seconds/--repeats} options of the benchmarks that compare configurations (models,
 * batch sizes, modes) in paired repeats. Each benchmark gives its own default repeats by
 * constructing the mixin (see {@link BacklogRounds}).
 */
final class PairedRepeats {

  @Option(
      names = "--seconds",
      defaultValue = "2",
      description =
          "Seconds per compared configuration (model, batch size, mode, level) and repeat"
              + " (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--repeats",
      description =
          "Repeats; frames/s are medians, each ratio the median of the per-repeat ratios"
              + " (default: ${DEFAULT-VALUE}).")
  int repeats;

  /** For picocli's factory; the commands construct theirs with their default repeats. */
  PairedRepeats() {
    this(5);
  }

  PairedRepeats(int repeats) {
    this.repeats = repeats;
  }
}
