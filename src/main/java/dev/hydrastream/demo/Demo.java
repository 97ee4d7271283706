package dev.hydrastream.demo;

import dev.hydrastream.config.Settings;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.Topics;
import dev.hydrastream.util.Trees;
import dev.hydrastream.web.ServiceHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The demo, everything on loopback: a real single-node KRaft broker, the topics, the perception
 * service with its dashboard and /metrics ({@link ServiceHost}), simulated cameras, a
 * read_committed results reader and a lag monitor; after the cameras stop, a drain until every
 * frame has its result, then a {@link DemoSummary} with the latency breakdown by stage.
 */
public final class Demo {

  /**
   * What to run.
   *
   * @param duration how long the cameras run; null: until the JVM is asked to stop (Ctrl-C)
   * @param format frame wire format
   * @param corruptEvery also send a truncated copy of every Nth frame (0: never)
   * @param telemetryHz vehicle telemetry records per second per vehicle (0: none)
   * @param dataDir broker data directory, or null for a temp dir deleted at exit
   * @param port broker port, or 0 for a free one
   * @param httpPort port of the dashboard and /metrics on 127.0.0.1, or 0 for a free one
   * @param settings service setting overrides
   */
  public record Options(
      Duration duration,
      int cameras,
      double fps,
      int width,
      int height,
      FrameProducer.Format format,
      int corruptEvery,
      long seed,
      double telemetryHz,
      int renderThreads,
      Path dataDir,
      int port,
      int httpPort,
      Map<String, String> settings) {}

  /**
   * Longest wait, after the cameras stop, for the results of the frames sent. The drain ends as
   * soon as they are in; the bound only matters on a starved machine (at load 34 the event stage
   * trailed by 90 s and a 60 s bound reported two frames' events as lost).
   */
  private static final Duration DRAIN = Duration.ofMinutes(3);

  /** Longest wait, after the drain, for the dashboard to show the alerts the reader read. */
  private static final Duration DASHBOARD_WAIT = Duration.ofSeconds(10);

  private Demo() {}

  /** Runs the demo of {@code o} to its end, progress lines on {@code log}, and sums it up. */
  public static DemoSummary run(Options o, PrintWriter log) throws Exception {
    Path state = Files.createTempDirectory("hydra-demo-state");
    try (EmbeddedKafka kafka =
        EmbeddedKafka.builder().optDataDir(o.dataDir()).optPort(o.port()).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Settings settings = settings(o, bootstrap, state);
      Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
      log.printf(
          "demo: Kafka KRaft on %s (started in %d ms)%n",
          bootstrap, kafka.startupTime().toMillis());
      try (ServiceHost host = ServiceHost.open(settings)) {
        log.printf("dashboard: %s%n", host.url());
        log.flush();
        return run(o, log, settings, topics, bootstrap, host.start(Duration.ofSeconds(120)));
      }
    } finally {
      try {
        Trees.delete(state);
      } catch (IOException e) {
        // Best effort: a leftover temp dir must not fail a finished run.
      }
    }
  }

  private static DemoSummary run(
      Options o,
      PrintWriter log,
      Settings settings,
      Topics topics,
      String bootstrap,
      ServiceHost host)
      throws Exception {
    PerceptionService service = host.service();
    {
      try (ResultsReader reader = new ResultsReader(bootstrap, topics, "hydrastream-demo-reader");
          LagMonitor lag =
              new LagMonitor(
                  bootstrap,
                  settings.getString(Settings.APPLICATION_ID),
                  topics.cameraFrames().name(),
                  Duration.ofMillis(500));
          FrameProducer producer =
              new FrameProducer(bootstrap, topics.cameraFrames().name(), o.format(), Map.of());
          CameraFleet fleet =
              new CameraFleet(
                  o.cameras(), o.seed(), o.fps(), o.width(), o.height(), o.renderThreads())) {
        log.printf(
            "demo: %d cameras x %.1f fps (%dx%d %s) -> %s; model %s; %s; Ctrl-C stops%n",
            o.cameras(),
            o.fps(),
            o.width(),
            o.height(),
            o.format().name().toLowerCase(Locale.ROOT),
            topics.cameraFrames().name(),
            service.serving().card().id(),
            settings.getString(Settings.PROCESSING_GUARANTEE));
        Thread hook = new Thread(fleet::stop, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread progress = progress(log, reader, lag, producer);
        long t0 = System.nanoTime();
        List<Long> cameraMs = new java.util.ArrayList<>();
        CameraFleet.Stats sim = cameras(o, fleet, producer, topics, cameraMs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        producer.flush();
        drain(reader, topics, producer.sent(), settings.getBoolean(Settings.TELEMETRY_ENABLED));
        progress.interrupt();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down already (Ctrl-C): the hook has run.
        }
        List<String> results =
            new ArrayList<>(topics.results().stream().map(Topics.Topic::name).toList());
        if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
          results.add(topics.events().name());
        }
        ResultsReader.Summary read = reader.summary();
        Map<String, Long> onDashboard = dashboardAlerts(host, read.alertsByRule());
        return DemoSummary.of(
            seconds,
            sim,
            producer.sent(),
            producer.failed(),
            producer.telemetrySent(),
            results,
            topics.alerts().name(),
            read,
            lag,
            new DemoSummary.Service(
                settings.getString(Settings.PROCESSING_GUARANTEE),
                settings.getInt(Settings.STREAM_THREADS),
                service.serving().stats()),
            onDashboard,
            LatencyBreakdown.of(host.metrics(), read.latencyQuantile(0.5), median(cameraMs)));
      }
    }
  }

  /**
   * The alerts by rule the dashboard shows ({@code /api/alerts}), once it shows as many as the
   * results reader read or after {@link #DASHBOARD_WAIT}: its feed is another read_committed
   * consumer of the topic and may trail the reader by a poll.
   */
  private static Map<String, Long> dashboardAlerts(ServiceHost host, Map<String, Long> read)
      throws InterruptedException {
    long expected = read.values().stream().mapToLong(Long::longValue).sum();
    long deadline = System.nanoTime() + DASHBOARD_WAIT.toNanos();
    while (true) {
      Map<String, Long> shown = new java.util.TreeMap<>();
      host.alerts()
          .document(null, 1)
          .path("by_rule")
          .properties()
          .forEach(e -> shown.put(e.getKey(), e.getValue().path("count").asLong()));
      long n = shown.values().stream().mapToLong(Long::longValue).sum();
      if (n >= expected || System.nanoTime() > deadline) {
        return shown;
      }
      Thread.sleep(100);
    }
  }

  private static double median(List<Long> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    long[] s = v.stream().mapToLong(Long::longValue).sorted().toArray();
    return s[s.length / 2];
  }

  /** The service's settings: the embedded broker, enough partitions for the cameras, overrides. */
  private static Settings settings(Options o, String bootstrap, Path state) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(Settings.BOOTSTRAP_SERVERS, bootstrap);
    values.put(Settings.APPLICATION_ID, "hydrastream-demo");
    values.put(Settings.TOPIC_PARTITIONS, String.valueOf(Math.max(4, o.cameras())));
    values.put(Settings.STATE_DIR, state.toString());
    values.put(Settings.HTTP_HOST, "127.0.0.1");
    values.put(Settings.HTTP_PORT, String.valueOf(o.httpPort()));
    values.putAll(o.settings());
    return Settings.load(null, System.getenv(), values);
  }

  /** Runs the cameras for the duration, sending every frame (and the corrupt copies). */
  private static CameraFleet.Stats cameras(
      Options o, CameraFleet fleet, FrameProducer producer, Topics topics, List<Long> cameraMs)
      throws InterruptedException {
    AtomicLong n = new AtomicLong();
    Duration d = o.duration() == null ? Duration.ofDays(3650) : o.duration();
    Consumer<SimFrame> frames =
        f -> {
          // Capture time to the producer: the simulator's own share of the latency (the sink is
          // called one frame at a time).
          cameraMs.add(System.currentTimeMillis() - f.captureTs());
          producer.send(f);
          if (o.corruptEvery() > 0 && n.incrementAndGet() % o.corruptEvery() == 0) {
            producer.sendTruncated(f);
          }
        };
    if (o.telemetryHz() <= 0) {
      return fleet.run(d, frames);
    }
    String telemetry = topics.telemetry().name();
    return fleet.run(d, frames, t -> producer.sendTelemetry(telemetry, t), o.telemetryHz());
  }

  /**
   * Waits until every sent frame has its fused result (and its event, with telemetry on) or was
   * dead-lettered (at most DRAIN).
   */
  private static void drain(ResultsReader reader, Topics topics, long sent, boolean events)
      throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    String last = events ? topics.events().name() : topics.frames().name();
    while (System.nanoTime() < deadline
        && Math.min(reader.distinctFrames(topics.frames().name()), reader.distinctFrames(last))
                + reader.deadLetters()
            < sent) {
      Thread.sleep(100);
    }
    // Only the fused topic is waited for; the other result topics may trail it by a moment.
    Thread.sleep(500);
  }

  /** A daemon thread logging a progress line every 5 s until interrupted. */
  private static Thread progress(
      PrintWriter log, ResultsReader reader, LagMonitor lag, FrameProducer producer) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(5000);
                  ResultsReader.Summary s = reader.summary();
                  log.printf(
                      "demo: sent %d, results %d, dead-lettered %d, lag %d (max %d), p50 %.0f ms"
                          + " p99 %.0f ms%n",
                      producer.sent(),
                      s.records().values().stream().mapToLong(Long::longValue).sum()
                          - s.deadLetters(),
                      s.deadLetters(),
                      lag.last(),
                      lag.max(),
                      s.latencyQuantile(0.5),
                      s.latencyQuantile(0.99));
                  log.flush();
                }
              } catch (InterruptedException e) {
                // Stopped: the run is over.
              }
            },
            "demo-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
