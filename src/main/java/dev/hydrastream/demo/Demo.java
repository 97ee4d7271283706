package dev.hydrastream.demo;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.ModelRepository;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.metrics.ModelAgreement;
import dev.hydrastream.metrics.ShadowStats;
import dev.hydrastream.metrics.Stage;
import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.shadow.Shadow;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Trees;
import dev.hydrastream.web.ServiceHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * The demo, everything on loopback: a real single-node KRaft broker, the topics, the perception
 * service with its dashboard and /metrics ({@link ServiceHost}), simulated cameras, a
 * read_committed results reader and a lag monitor; after the cameras stop (at the end of the
 * duration, or on {@link #stop()}), a drain until every frame has its result, then a {@link
 * DemoSummary} with the latency breakdown by stage. With {@link Switching} a {@link ModelSwitcher}
 * switches the served model back and forth meanwhile ({@link ModelSwitches} sums it up). Whatever
 * it created (broker data dir, state dir, a temporary model repository) is deleted when {@link
 * #run} returns.
 *
 * <p>The cameras' ids are chosen so that Kafka's default partitioner puts them on distinct
 * partitions of {@code camera.frames} ({@link #cameraNumbers}): with the plain {@code cam-0..3},
 * four cameras hash onto two of four partitions, two stream threads idle and the batcher never sees
 * concurrent frames. The broker keeps a bounded history ({@link #RETENTION}), so a long demo does
 * not fill the disk.
 */
public final class Demo {

  /**
   * What to run.
   *
   * @param duration how long the cameras run; null: until {@link #stop()}
   * @param format frame wire format
   * @param corruptEvery also send a truncated copy of every Nth frame (0: never)
   * @param telemetryHz vehicle telemetry records per second per vehicle (0: none)
   * @param dataDir broker data directory, or null for a temp dir deleted at exit
   * @param port broker port, or 0 for a free one
   * @param httpPort port of the dashboard and /metrics on 127.0.0.1, or 0 for a free one
   * @param warmup the start of a run left out of the after-warm-up latency figures
   * @param profile settings profile under the overrides ({@code --profile})
   * @param settings service setting overrides
   * @param switching model switches during the run, or null for none
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
      Duration warmup,
      Map<String, String> profile,
      Map<String, String> settings,
      Switching switching) {}

  /**
   * Model switches during the run ({@code --switch-model}): {@code switches} activations on
   * perception.control alternating between the started model and the candidate, each {@code every}
   * after the previous one's answer.
   *
   * @param candidate {@code NAME/VERSION} of model.repository, or {@value #COPY}: a copy of the
   *     started model as version {@code VERSION-copy} in a temporary repository (the service's
   *     model.repository for the run)
   */
  public record Switching(String candidate, int switches, Duration every) {

    /** The candidate that is a copy of the started model. */
    public static final String COPY = "copy";

    /**
     * Checks the options, naming the wrong one.
     *
     * @throws IllegalArgumentException naming {@code --switch-model}, {@code --switches} or {@code
     *     --switch-every}
     */
    public Switching {
      if (!COPY.equals(candidate) && (candidate == null || candidate.split("/", -1).length != 2)) {
        throw new IllegalArgumentException(
            "--switch-model '" + candidate + "': NAME/VERSION of model.repository, or " + COPY);
      }
      if (switches < 1) {
        throw new IllegalArgumentException("--switches must be >= 1");
      }
      if (every == null || every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("--switch-every must be positive");
      }
    }
  }

  /**
   * The two models of a run with switches.
   *
   * @param settings the service's settings (model.repository the temporary one for a copy)
   * @param copies the temporary repository to delete at the end, or null
   */
  private record Switched(Settings settings, ModelCard started, ModelCard candidate, Path copies) {}

  /**
   * Longest wait, after the cameras stop, for the results of the frames sent. The drain ends as
   * soon as they are in; the bound only matters on a starved machine (at load 34 the event stage
   * trailed by 90 s and a 60 s bound reported two frames' events as lost).
   */
  private static final Duration DRAIN = Duration.ofMinutes(3);

  /**
   * Broker defaults bounding what every topic keeps (per partition: 64 MiB or 10 minutes, in 8 MiB
   * segments, checked every 10 s): 4 cameras at 5 fps send about 2 MB/s of frames.
   */
  static final Map<String, String> RETENTION =
      Map.of(
          "log.retention.bytes", String.valueOf(64L << 20),
          "log.retention.ms", String.valueOf(Duration.ofMinutes(10).toMillis()),
          "log.segment.bytes", String.valueOf(8 << 20),
          "log.retention.check.interval.ms", "10000");

  /** Longest wait, after the drain, for the dashboard to show the alerts the reader read. */
  private static final Duration DASHBOARD_WAIT = Duration.ofSeconds(10);

  private final Options o;
  private final PrintWriter log;
  private volatile boolean stopped;
  private volatile CameraFleet fleet;

  public Demo(Options o, PrintWriter log) {
    this.o = o;
    this.log = log;
  }

  /**
   * Asks the demo to stop: the cameras stop (or do not start), and {@link #run} drains, sums up and
   * cleans up. Any thread, any time.
   */
  public void stop() {
    stopped = true;
    CameraFleet f = fleet;
    if (f != null) {
      f.stop();
    }
  }

  /** Runs the demo to its end (its duration, or {@link #stop()}), progress lines on the log. */
  public DemoSummary run() throws Exception {
    Path state = Files.createTempDirectory("hydra-demo-state");
    Switched switched = null;
    try (EmbeddedKafka kafka = broker().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Settings settings = settings(bootstrap, state);
      switched = o.switching() == null ? null : switched(settings);
      if (switched != null) {
        settings = switched.settings();
      }
      Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
      log.printf(
          "demo: Kafka KRaft on %s (started in %d ms)%n",
          bootstrap, kafka.startupTime().toMillis());
      try (ServiceHost host = ServiceHost.open(settings)) {
        log.printf("dashboard: %s%n", host.url());
        log.flush();
        return run(settings, topics, bootstrap, host.start(Duration.ofSeconds(120)), switched);
      }
    } finally {
      delete(state);
      if (switched != null && switched.copies() != null) {
        delete(switched.copies());
      }
    }
  }

  private void delete(Path dir) {
    try {
      Trees.delete(dir);
    } catch (IOException e) {
      log.printf("demo: could not delete %s: %s%n", dir, e);
    }
  }

  /**
   * The started model and the candidate of {@code --switch-model}, both checked in the repository
   * as an activation checks them ({@link ModelRepository#require}): for {@value Switching#COPY}, a
   * temporary repository with the started model and its copy, which the service's settings name.
   */
  private Switched switched(Settings settings) throws IOException {
    ModelCard started = ModelCard.read(settings.modelDir());
    String candidate = o.switching().candidate();
    if (Switching.COPY.equals(candidate)) {
      Path copies = Files.createTempDirectory("hydra-demo-models");
      ModelRepository repo = new ModelRepository(copies);
      repo.add(settings.modelDir(), started.name(), started.version());
      repo.add(settings.modelDir(), started.name(), started.version() + "-copy");
      Settings s = settings.with(Map.of(Settings.MODEL_REPOSITORY, copies.toString()));
      return new Switched(
          s,
          repo.require(started.name(), started.version()).card(),
          repo.require(started.name(), started.version() + "-copy").card(),
          copies);
    }
    String[] nv = candidate.split("/", -1);
    ModelRepository repo = new ModelRepository(settings.modelRepository());
    ModelCard to;
    try {
      to = repo.require(nv[0], nv[1]).card();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--switch-model "
              + candidate
              + ": "
              + e.getMessage()
              + " (--switch-model copy switches to a copy of the started model)",
          e);
    }
    if (to.id().equals(started.id())) {
      throw new IllegalArgumentException(
          "--switch-model " + candidate + " is the started model (model.dir); name another");
    }
    try {
      repo.require(started.name(), started.version());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the started model "
              + started.id()
              + " (model.dir "
              + settings.modelDir()
              + ") must be in model.repository to switch back to it: "
              + e.getMessage(),
          e);
    }
    return new Switched(settings, started, to, null);
  }

  private DemoSummary run(
      Settings settings, Topics topics, String bootstrap, ServiceHost host, Switched switched)
      throws Exception {
    PerceptionService service = host.service();
    int partitions = settings.getInt(Settings.TOPIC_PARTITIONS);
    int[] numbers = cameraNumbers(o.cameras(), partitions);
    try (ResultsReader reader = new ResultsReader(bootstrap, topics, "hydrastream-demo-reader");
        LagMonitor lag =
            new LagMonitor(
                bootstrap,
                settings.getString(Settings.APPLICATION_ID),
                topics.cameraFrames().name(),
                Duration.ofMillis(500));
        FrameProducer producer =
            new FrameProducer(bootstrap, topics.cameraFrames().name(), o.format(), Map.of());
        CameraFleet cameras =
            new CameraFleet(numbers, o.seed(), o.fps(), o.width(), o.height(), o.renderThreads())) {
      // "RUNNING" is what scripts driving the demo wait for
      // (../shared/tools/realset_kafka_check.py)
      log.printf(
          "demo: RUNNING: %d cameras x %.1f fps (%dx%d %s) -> %s; model %s; %s; Ctrl-C stops%n",
          o.cameras(),
          o.fps(),
          o.width(),
          o.height(),
          o.format().name().toLowerCase(Locale.ROOT),
          topics.cameraFrames().name(),
          service.serving().card().id(),
          settings.getString(Settings.PROCESSING_GUARANTEE));
      log.printf("demo: %s%n", placement(numbers, partitions));
      log.flush();
      Thread progress = progress(reader, lag, producer);
      long t0 = System.nanoTime();
      List<Long> cameraMs = new ArrayList<>();
      // Published before the check: a stop() after the check reaches the fleet's next run.
      fleet = cameras;
      ModelSwitcher switcher =
          switched == null
              ? null
              : new ModelSwitcher(
                  settings,
                  switched.started(),
                  switched.candidate(),
                  o.switching().switches(),
                  o.switching().every(),
                  log);
      if (switcher != null) {
        log.printf(
            "demo: %d switches %s <-> %s, each %.1f s after the previous one's answer%n",
            o.switching().switches(),
            switched.started().id(),
            switched.candidate().id(),
            o.switching().every().toMillis() / 1e3);
        log.flush();
        switcher.start();
      }
      CameraFleet.Stats sim =
          stopped
              ? new CameraFleet.Stats(0, 0, 0, new long[0])
              : cameras(cameras, producer, topics, cameraMs);
      double seconds = (System.nanoTime() - t0) / 1e9;
      producer.flush();
      List<ModelSwitches.Requested> requested = switcher == null ? List.of() : switcher.finish();
      if (stopped) {
        log.printf("demo: stopped after %.1f s; draining%n", seconds);
        log.flush();
      }
      boolean events = settings.getBoolean(Settings.TELEMETRY_ENABLED);
      drain(reader, topics, producer.sent(), events);
      progress.interrupt();
      List<String> results =
          new ArrayList<>(topics.results().stream().map(Topics.Topic::name).toList());
      if (events) {
        results.add(topics.events().name());
      }
      DemoSummary.ShadowRun shadow = shadowRun(settings, topics, service, reader);
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
          DemoSummary.AfterWarmup.of(
              o.warmup().toMillis() / 1e3,
              reader.latenciesCapturedFrom(reader.firstCaptureTs() + o.warmup().toMillis())),
          LatencyBreakdown.of(host.metrics(), read.latencyQuantile(0.5), median(cameraMs)),
          switched == null
              ? null
              : new ModelSwitches.Run(
                  switched.started().id(),
                  switched.candidate().id(),
                  o.switching().switches(),
                  requested,
                  reader.answers(),
                  settings.getLong(Settings.COMMIT_INTERVAL_MS),
                  Math.round(host.metrics().quantile(Stage.MODEL, 0.99) * 1e4) / 10.0),
          shadow);
    }
  }

  /**
   * The shadow model's side of the run (null without {@code shadow.model}), once perception.shadow
   * has a record for every sampled frame the service did not drop (at most {@link #DRAIN}): the
   * sampled frames counted from the ids on perception.frames, the records read, the running
   * agreement.
   */
  private static DemoSummary.ShadowRun shadowRun(
      Settings settings, Topics topics, PerceptionService service, ResultsReader reader)
      throws InterruptedException {
    Shadow shadow = service.shadow();
    if (shadow == null) {
      return null;
    }
    double fraction = settings.getDouble(Settings.SHADOW_FRACTION);
    String frames = topics.frames().name();
    String out = topics.shadow().name();
    long deadline = System.nanoTime() + DRAIN.toNanos();
    long sampled;
    ShadowStats.Snapshot st;
    while (true) {
      sampled = reader.framesMatching(frames, id -> Shadow.sampled(id, fraction));
      st = shadow.stats().snapshot();
      if (reader.distinctFrames(out) + st.dropped() + st.failed() >= sampled
          || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(100);
    }
    ModelAgreement.Report r = st.agreement();
    return new DemoSummary.ShadowRun(
        settings.getString(Settings.SHADOW_MODEL),
        fraction,
        sampled,
        reader.summary().records().getOrDefault(out, 0L),
        reader.distinctFrames(out),
        st.dropped(),
        st.failed(),
        r.attributeAgreement(),
        r.detectionF1(),
        Double.isNaN(r.maskIou()) ? null : r.maskIou(),
        Double.isNaN(st.meanLatencyDeltaMs()) ? null : st.meanLatencyDeltaMs());
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

  /** The embedded broker, with the demo's retention limits. */
  private EmbeddedKafka.Builder broker() {
    EmbeddedKafka.Builder b = EmbeddedKafka.builder().optDataDir(o.dataDir()).optPort(o.port());
    RETENTION.forEach(b::optConfig);
    return b;
  }

  /** The service's settings: the embedded broker, enough partitions for the cameras, overrides. */
  private Settings settings(String bootstrap, Path state) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(Settings.BOOTSTRAP_SERVERS, bootstrap);
    values.put(Settings.APPLICATION_ID, "hydrastream-demo");
    values.put(Settings.TOPIC_PARTITIONS, String.valueOf(Math.max(4, o.cameras())));
    values.put(Settings.STATE_DIR, state.toString());
    values.put(Settings.HTTP_HOST, "127.0.0.1");
    values.put(Settings.HTTP_PORT, String.valueOf(o.httpPort()));
    values.putAll(o.settings());
    return Settings.load(o.profile(), null, System.getenv(), values);
  }

  /**
   * Numbers {@code k} of {@code cameras} cameras whose ids ({@link CameraFleet#cameraId}) Kafka's
   * default partitioner spreads evenly over {@code partitions}: the smallest numbers that keep
   * every partition's camera count within one of the others' (distinct partitions while there are
   * at most as many cameras as partitions).
   */
  static int[] cameraNumbers(int cameras, int partitions) {
    int[] perPartition = new int[partitions];
    int[] out = new int[cameras];
    int n = 0;
    for (int k = 0; n < cameras; k++) {
      int p = partition(k, partitions);
      int least = Integer.MAX_VALUE;
      for (int c : perPartition) {
        least = Math.min(least, c);
      }
      if (perPartition[p] == least) {
        perPartition[p]++;
        out[n++] = k;
      }
    }
    return out;
  }

  /** The partition of camera {@code k}'s records, as any Kafka producer computes it. */
  static int partition(int k, int partitions) {
    byte[] key = CameraFleet.cameraId(k).getBytes(StandardCharsets.UTF_8);
    return BuiltInPartitioner.partitionForKey(key, partitions);
  }

  /** {@code cam-0 -> partition 1, ...}: where the cameras' frames go. */
  private static String placement(int[] numbers, int partitions) {
    List<String> parts = new ArrayList<>();
    for (int k : numbers) {
      parts.add(CameraFleet.cameraId(k) + " -> partition " + partition(k, partitions));
    }
    return String.join(", ", parts) + " (of " + partitions + ")";
  }

  /**
   * Runs the cameras for the duration, sending every frame (and the corrupt copies); {@code
   * cameraMs} gets each frame's capture-to-producer time, the simulator's own share of the latency.
   */
  private CameraFleet.Stats cameras(
      CameraFleet cameras, FrameProducer producer, Topics topics, List<Long> cameraMs)
      throws InterruptedException {
    AtomicLong n = new AtomicLong();
    Duration d = o.duration() == null ? Duration.ofDays(3650) : o.duration();
    Consumer<SimFrame> frames =
        f -> {
          // The sink is called one frame at a time.
          cameraMs.add(System.currentTimeMillis() - f.captureTs());
          producer.send(f);
          if (o.corruptEvery() > 0 && n.incrementAndGet() % o.corruptEvery() == 0) {
            producer.sendTruncated(f);
          }
        };
    if (o.telemetryHz() <= 0) {
      return cameras.run(d, frames);
    }
    String telemetry = topics.telemetry().name();
    return cameras.run(d, frames, t -> producer.sendTelemetry(telemetry, t), o.telemetryHz());
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
  private Thread progress(ResultsReader reader, LagMonitor lag, FrameProducer producer) {
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
