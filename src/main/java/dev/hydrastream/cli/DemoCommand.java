package dev.hydrastream.cli;

import ch.qos.logback.classic.Level;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.Demo;
import dev.hydrastream.demo.DemoSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the options of {@link Demo} (everything on loopback: broker, simulated cameras, the
 * service, a results reader) and its summary.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Embedded Kafka broker + camera simulator + perception service + results"
          + " reader, on loopback, with the live dashboard and /metrics on --http-port.",
      "With --duration it stops by itself, otherwise on Ctrl-C or SIGTERM; then it drains and"
          + " prints: frames in, results per topic, dead-lettered (per reason), lost, consumer"
          + " lag, capture-to-result latency p50/p95/p99 and by stage, mean batch. It deletes what"
          + " it created"
          + " (broker data and state dirs) and exits 0 (2 if frames were lost).",
      "With --switch-model it switches models during the run and also exits 2 if a switch was"
          + " refused or a frame answered by two models."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin FleetOptions fleet;
  @Mixin SetOption set;

  @Mixin ProfileOption profile;
  @Mixin JsonOption json;
  @Mixin LogFileOption log;

  @Option(
      names = "--corrupt-every",
      defaultValue = "0",
      description =
          "Also send a truncated copy of every Nth frame, to see the dead-letter topic"
              + " at work (default: never).")
  int corruptEvery;

  @Option(
      names = "--render-threads",
      defaultValue = "1",
      description = "Simulator render threads (default: ${DEFAULT-VALUE}).")
  int renderThreads;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Broker data directory (default: a temp dir," + " deleted at exit).")
  Path dataDir;

  @Option(names = "--port", defaultValue = "0", description = "Broker port (default: a free one).")
  int port;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "Port of the dashboard, REST API and /metrics on 127.0.0.1 (0: a free one; default:"
              + " ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--warmup",
      defaultValue = "10s",
      description =
          "The start of the run left out of the after-warm-up latency figures (the summary gives"
              + " both; default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--switch-model",
      paramLabel = "NAME/VERSION|copy",
      description =
          "Switch the served model during the run, back and forth between the started one and"
              + " this one of model.repository, by activations on perception.control; copy: a"
              + " copy of the started model as version VERSION-copy in a temporary repository."
              + " The summary gains model_switches (docs/operations.md).")
  String switchModel;

  @Option(
      names = "--switches",
      defaultValue = "5",
      description = "Switches with --switch-model (default: ${DEFAULT-VALUE}).")
  int switches;

  @Option(
      names = "--switch-every",
      defaultValue = "8s",
      description =
          "Pause before each switch, after the previous one's answer (default: ${DEFAULT-VALUE}).")
  Duration switchEvery;

  @Option(
      names = "--shadow",
      paramLabel = "NAME/VERSION",
      description =
          "Shadow a candidate of the model repository on the live frames (shadow.model): its"
              + " comparison with the served model goes to perception.shadow, the dashboard and"
              + " the summary.")
  String shadow;

  @Option(
      names = "--shadow-fraction",
      paramLabel = "F",
      description = "Share of frames the shadow answers (shadow.fraction; default: all).")
  Double shadowFraction;

  @Override
  public Integer call() throws Exception {
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(set.values);
    if (shadow != null) {
      settings.put(Settings.SHADOW_MODEL, shadow);
    }
    if (shadowFraction != null) {
      settings.put(Settings.SHADOW_FRACTION, shadowFraction.toString());
    }
    int[] wh = fleet.check();
    Demo.Switching switching;
    try {
      switching =
          switchModel == null ? null : new Demo.Switching(switchModel, switches, switchEvery);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Demo.Options options =
        new Demo.Options(
            fleet.duration,
            fleet.cameras,
            fleet.fps,
            wh[0],
            wh[1],
            fleet.format(),
            corruptEvery,
            fleet.seed,
            fleet.telemetryHz,
            renderThreads,
            dataDir,
            port,
            httpPort,
            warmup,
            profile.values(),
            settings,
            switching);
    // Kafka's, Jetty's and the other libraries' logs go to a file: the terminal shows the demo's
    // own lines, our warnings and the libraries' errors.
    DemoSummary summary;
    try (LogRouting routing = log.apply("demo", Level.WARN, spec.commandLine().getErr())) {
      Demo demo = new Demo(options, spec.commandLine().getErr());
      StopSignals.onStop("demo", demo::stop);
      summary = demo.run();
    }
    json.print(summary);
    // A lost frame breaks the delivery promise, and so does a switch refused or a frame answered
    // by two models: a script running the demo must notice.
    List<String> failures =
        summary.modelSwitches() == null ? List.of() : summary.modelSwitches().failures();
    failures.forEach(f -> spec.commandLine().getErr().println("demo: " + f));
    spec.commandLine().getErr().flush();
    return summary.framesLost() == 0 && failures.isEmpty() ? 0 : 2;
  }
}
