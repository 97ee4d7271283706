package dev.hydrastream.cli;

import dev.hydrastream.bench.ShadowBench;
import dev.hydrastream.spec.ModelCard;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench shadow}: the incumbent's p50 model call with a shadow model on against off. */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description =
        "What a shadow model costs the incumbent: its p50 model call with shadow.model set vs"
            + " not, at a light load, each arm a service of its own (hydrastream run, a fresh JVM"
            + " per round) on one embedded broker, in ABBA rounds; both p50s, the per-round"
            + " on/off ratios and their median.")
final class ShadowBenchCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin SetOption set;
  @Mixin BenchOutOption out;
  @Mixin JsonOption json;

  @Option(
      names = "--shadow",
      paramLabel = "NAME/VERSION",
      description =
          "The shadow model in model.repository (default: the incumbent's own name and version, a"
              + " candidate as costly as the incumbent).")
  String shadow;

  @Option(
      names = "--shadow-fraction",
      defaultValue = "1.0",
      description = "shadow.fraction (default: ${DEFAULT-VALUE}).")
  double fraction;

  @Option(
      names = "--rounds",
      defaultValue = "6",
      description = "Paired on/off rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--cameras",
      defaultValue = "2",
      description = "Cameras of the load (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "Frames per second of each camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Load per arm and round (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || cameras < 1 || !(fps > 0) || duration.isNegative() || duration.isZero()) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--rounds and --cameras must be at least 1, --fps and --duration positive");
    }
    String candidate = shadow;
    if (candidate == null) {
      ModelCard card = ModelCard.read(model.dir());
      candidate = card.name() + "/" + card.version();
    }
    var options =
        new ShadowBench.Options(
            candidate, fraction, rounds, cameras, fps, duration.toMillis() / 1000.0, set.values);
    out.publish(json, ShadowBench.run(model.dir(), options, out.dir()));
    return 0;
  }
}
