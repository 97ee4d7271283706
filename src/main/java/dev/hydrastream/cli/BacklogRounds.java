package dev.hydrastream.cli;

import dev.hydrastream.bench.Backlog;
import picocli.CommandLine.Option;

/**
 * The {@code --threads/--frames/--warmup/--rounds} options of the benchmarks that drain backlogs
 * through a service in measured rounds ({@link BacklogBenchCommand}). Each benchmark gives its own
 * defaults by constructing the mixin: picocli keeps an instance a {@code @Mixin} field already
 * holds, and shows the fields' initial values as the defaults.
 */
final class BacklogRounds {

  @Option(
      names = "--threads",
      description = "Stream threads of each service instance (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--frames",
      description = "Frames in the backlog each measurement drains (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--warmup",
      description =
          "Frames each service instance processes before the first round"
              + " (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--rounds",
      description = "Measured rounds; medians reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  /** For picocli's factory; the commands construct theirs with their defaults. */
  BacklogRounds() {
    this(4, 400, 600, 5);
  }

  BacklogRounds(int threads, int frames, int warmup, int rounds) {
    this.threads = threads;
    this.frames = frames;
    this.warmup = warmup;
    this.rounds = rounds;
  }

  /** The options as the benchmarks take them. */
  Backlog value() {
    return new Backlog(threads, frames, warmup, rounds);
  }
}
