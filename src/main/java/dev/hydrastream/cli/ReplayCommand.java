package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.metrics.ModelAgreement;
import dev.hydrastream.streams.replay.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code replay}: recorded frames of a time range re-run through the topology (issue 28). */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Re-run the frames recorded on a topic between --start and --end (record timestamps) through"
          + " the perception topology, with the service's settings, into the result topics under"
          + " --output-prefix; stop when the range is done and print what was written.",
      "With the same model and settings the result records are byte-identical to the originals"
          + " (docs/operations.md, \"Replaying a drive\"). With --model, also print how the"
          + " replayed model agrees with the original results per task.",
      "Settings as for run: --profile, --config, HYDRA_* environment variables, --set."
    })
final class ReplayCommand implements Callable<Integer> {

  /** What {@code replay} prints: the run, and with {@code --model} the per-task agreement. */
  record Result(Replay.Summary replay, ModelAgreement.Report agreement) {}

  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      defaultValue = "camera.frames",
      paramLabel = "TOPIC",
      description = "The recorded frames topic (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--start",
      required = true,
      paramLabel = "T1",
      converter = InstantConverter.class,
      description = "First record timestamp replayed: ISO-8601 instant or epoch ms.")
  Instant start;

  @Option(
      names = "--end",
      required = true,
      paramLabel = "T2",
      converter = InstantConverter.class,
      description = "End of the range (not included): ISO-8601 instant or epoch ms.")
  Instant end;

  @Option(
      names = "--output-prefix",
      defaultValue = "replay.",
      paramLabel = "PREFIX",
      description = "Prefix of the replay's result topics (default: ${DEFAULT-VALUE}).")
  String outputPrefix;

  @Option(
      names = "--model",
      paramLabel = "MODEL_DIR",
      description = "Replay with this model and print its agreement with the original results.")
  Path model;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka brokers (sets bootstrap.servers).")
  String bootstrap;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings.")
  Path config;

  @Mixin SetOption set;

  @Mixin ProfileOption profile;

  @Mixin JsonOption json;

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      description = "Longest replay (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>(set.values);
    if (bootstrap != null) {
      overrides.put(Settings.BOOTSTRAP_SERVERS, bootstrap);
    }
    Settings settings = Settings.load(profile.values(), config, System.getenv(), overrides);
    Replay.Request request =
        new Replay.Request(
            from,
            start.toEpochMilli(),
            end.toEpochMilli(),
            outputPrefix,
            model == null ? null : Settings.installRelative(model),
            timeout);
    Replay.Summary summary = Replay.run(settings, request, spec.commandLine().getErr()::println);
    ModelAgreement.Report agreement =
        model == null ? null : Replay.compare(settings, outputPrefix, timeout);
    json.print(new Result(summary, agreement));
    return 0;
  }

  /** An instant as ISO-8601 ({@code 2026-05-01T10:00:00Z}) or epoch milliseconds. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      if (value.matches("\\d+")) {
        return Instant.ofEpochMilli(Long.parseLong(value));
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is neither an ISO-8601 instant (2026-05-01T10:00:00Z) nor epoch ms");
      }
    }
  }
}
