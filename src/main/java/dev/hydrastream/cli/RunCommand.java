package dev.hydrastream.cli;

import ch.qos.logback.classic.Level;
import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.web.ServiceHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the perception service against an existing Kafka cluster. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the perception service against an existing Kafka cluster.",
      "Settings come from --profile, then --config, then HYDRA_* environment variables (HYDRA_BATCH_MAX_SIZE"
          + " sets batch.max.size), then --set. Kafka client settings take the prefix kafka."
          + " (e.g. kafka.security.protocol). Stops cleanly on SIGTERM or Ctrl-C (exit 0)."
    })
final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings.")
  Path config;

  @Mixin SetOption set;

  @Mixin ProfileOption profile;

  @Mixin LogFileOption log;

  @Option(
      names = "--start-timeout",
      defaultValue = "120s",
      description = "Longest wait for the service to reach RUNNING (default: ${DEFAULT-VALUE}).")
  Duration startTimeout;

  @Override
  public Integer call() throws Exception {
    Settings settings = Settings.load(profile.values(), config, System.getenv(), set.values);
    // In a container every log stays on stderr (the runtime collects it); --log-file moves the
    // libraries' logs to a file and keeps the service's own messages here.
    try (LogRouting routing = log.apply("run", Level.INFO, new PrintWriter(System.err, true))) {
      return serve(settings);
    }
  }

  private int serve(Settings settings) throws InterruptedException {
    Settings.unknownEnvironment(System.getenv()).forEach(w -> System.err.println("warning: " + w));
    ServiceHost host = ServiceHost.open(settings);
    System.err.println("hydrastream: serving " + host.url() + " (metrics, health, dashboard)");
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.onStop("hydrastream", stop::countDown);
    // Any other way the JVM ends (SIGHUP, System.exit) still closes the service.
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "hydra-shutdown"));
    PerceptionService service = host.start(startTimeout).service();
    System.out.println(
        "hydrastream RUNNING: model "
            + service.serving().card().id()
            + ", "
            + settings.getString(Settings.PROCESSING_GUARANTEE)
            + ", "
            + settings.getInt(Settings.STREAM_THREADS)
            + " stream threads, bootstrap "
            + String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS))
            + ", http "
            + host.url());
    System.out.flush();
    stop.await();
    long t0 = System.nanoTime();
    host.close();
    System.out.printf(
        "hydrastream stopped: Kafka Streams, the model and HTTP closed in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    return 0;
  }
}
