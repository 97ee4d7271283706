package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.LagMonitor;
import dev.hydrastream.demo.LatencyBreakdown;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.Topics;
import dev.hydrastream.util.Json;
import dev.hydrastream.web.ServiceHost;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: everything on loopback — a real single-node KRaft broker, simulated cameras, the
 * perception service and a read_committed results reader — with a summary at the end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Embedded Kafka broker + camera simulator + perception service + results"
          + " reader, on loopback.",
      "With --duration it stops by itself and prints: frames in, results per topic,"
          + " dead-lettered, lost, consumer lag, capture-to-result latency p50/p95/p99."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Stop after this long (e.g. 60s); default: run until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--cameras",
      defaultValue = "4",
      description = "Cameras (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "Frames/s per camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--size",
      defaultValue = "1280x720",
      description = "Camera frame WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description = "Frame wire format: avro or raw (JPEG + headers) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--corrupt-every",
      defaultValue = "0",
      description =
          "Also send a truncated copy of every Nth frame, to see the dead-letter topic"
              + " at work (default: never).")
  int corruptEvery;

  @Option(names = "--seed", defaultValue = "1", description = "Simulator seed.")
  long seed;

  @Option(
      names = "--render-threads",
      defaultValue = "1",
      description = "Simulator render threads (default: ${DEFAULT-VALUE}).")
  int renderThreads;

  @Option(
      names = "--data-dir",
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

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a service setting.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print the summary as one JSON document on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--duration must be positive");
    }
    if (cameras < 1 || !(fps > 0)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--cameras must be >= 1 and --fps > 0");
    }
    int[] wh = Dimensions.parse(spec, "--size", size, "WIDTHxHEIGHT", 16, 8192);
    FrameProducer.Format wire = FrameProducer.Format.parse(format);
    PrintWriter err = spec.commandLine().getErr();
    Path state = Files.createTempDirectory("hydra-demo-state");
    try (EmbeddedKafka kafka =
        EmbeddedKafka.builder().optDataDir(dataDir).optPort(port).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Map<String, Object> values = new LinkedHashMap<>();
      values.put(Settings.BOOTSTRAP_SERVERS, bootstrap);
      values.put(Settings.APPLICATION_ID, "hydrastream-demo");
      values.put(Settings.TOPIC_PARTITIONS, String.valueOf(Math.max(4, cameras)));
      values.put(Settings.STATE_DIR, state.toString());
      values.put(Settings.HTTP_HOST, "127.0.0.1");
      values.put(Settings.HTTP_PORT, String.valueOf(httpPort));
      values.putAll(set);
      Settings settings = Settings.load(null, System.getenv(), values);
      Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
      err.printf(
          "demo: Kafka %s on %s (started in %d ms)%n",
          "KRaft", bootstrap, kafka.startupTime().toMillis());
      try (ServiceHost host = ServiceHost.open(settings)) {
        err.printf("dashboard: %s%n", host.url());
        err.flush();
        PerceptionService service = host.start(Duration.ofSeconds(120)).service();
        try (ResultsReader reader =
                new ResultsReader(bootstrap, topics, "hydrastream-demo-reader");
            LagMonitor lag =
                new LagMonitor(
                    bootstrap,
                    settings.getString(Settings.APPLICATION_ID),
                    topics.cameraFrames().name(),
                    Duration.ofMillis(500));
            FrameProducer producer =
                new FrameProducer(bootstrap, topics.cameraFrames().name(), wire, Map.of());
            CameraFleet fleet = new CameraFleet(cameras, seed, fps, wh[0], wh[1], renderThreads)) {
          err.printf(
              "demo: %d cameras x %.1f fps (%dx%d %s) -> %s; model %s; %s; Ctrl-C stops%n",
              cameras,
              fps,
              wh[0],
              wh[1],
              wire.name().toLowerCase(java.util.Locale.ROOT),
              topics.cameraFrames().name(),
              service.serving().card().id(),
              settings.getString(Settings.PROCESSING_GUARANTEE));
          Thread hook = new Thread(fleet::stop, "demo-stop");
          Runtime.getRuntime().addShutdownHook(hook);
          Thread progress = progress(err, reader, lag, producer);
          long t0 = System.nanoTime();
          java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
          // Capture time to the producer, per frame: the simulator's own share of the latency.
          java.util.List<Long> cameraMs = new java.util.ArrayList<>();
          CameraFleet.Stats sim =
              fleet.run(
                  duration == null ? Duration.ofDays(3650) : duration,
                  f -> {
                    cameraMs.add(System.currentTimeMillis() - f.captureTs());
                    producer.send(f);
                    if (corruptEvery > 0 && n.incrementAndGet() % corruptEvery == 0) {
                      producer.sendTruncated(f);
                    }
                  });
          double seconds = (System.nanoTime() - t0) / 1e9;
          producer.flush();
          // Drain: wait until every produced frame has its fused result (or 60 s).
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (System.nanoTime() < deadline && processed(reader, topics) < producer.sent()) {
            Thread.sleep(100);
          }
          Thread.sleep(500);
          progress.interrupt();
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException e) {
            // shutting down already
          }
          ResultsReader.Summary results = reader.summary();
          Map<String, Object> doc =
              summary(
                  settings,
                  topics,
                  sim,
                  producer,
                  results,
                  lag,
                  service.serving().stats(),
                  seconds);
          doc.put(
              "latency_breakdown",
              LatencyBreakdown.of(host.metrics(), results.latencyQuantile(0.5), median(cameraMs)));
          PrintWriter out = spec.commandLine().getOut();
          if (json) {
            out.println(Json.MAPPER.writeValueAsString(doc));
          } else {
            print(out, doc);
          }
          out.flush();
          return ((Number) doc.get("frames_lost")).longValue() == 0 ? 0 : 2;
        }
      }
    } finally {
      deleteTree(state);
    }
  }

  private static double median(java.util.List<Long> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    long[] s = v.stream().mapToLong(Long::longValue).sorted().toArray();
    return s[s.length / 2];
  }

  private static long processed(ResultsReader reader, Topics topics) {
    return reader.distinctFrames(topics.frames().name()) + reader.deadLetters();
  }

  private static Thread progress(
      PrintWriter err, ResultsReader reader, LagMonitor lag, FrameProducer producer) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(5000);
                  ResultsReader.Summary s = reader.summary();
                  err.printf(
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
                  err.flush();
                }
              } catch (InterruptedException e) {
                // done
              }
            },
            "demo-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  static Map<String, Object> summary(
      Settings settings,
      Topics topics,
      CameraFleet.Stats sim,
      FrameProducer producer,
      ResultsReader.Summary r,
      LagMonitor lag,
      BatchingPredictor.Stats batches,
      double seconds) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("seconds", Math.round(seconds * 10) / 10.0);
    doc.put("frames_rendered", sim.produced());
    doc.put("frames_skipped_by_simulator", sim.skipped());
    doc.put("frames_in", producer.sent());
    doc.put("frames_failed_to_send", producer.failed());
    Map<String, Object> perTopic = new LinkedHashMap<>();
    long lost = 0;
    long duplicates = 0;
    for (Topics.Topic t : topics.results()) {
      long records = r.records().getOrDefault(t.name(), 0L);
      int distinct = r.distinctFrames().getOrDefault(t.name(), 0);
      perTopic.put(t.name(), records);
      lost = Math.max(lost, producer.sent() - r.deadLetters() - distinct);
      duplicates += records - distinct;
    }
    doc.put("results", perTopic);
    doc.put("dead_lettered", r.deadLetters());
    doc.put("dead_letter_reasons", r.deadLetterReasons());
    doc.put("frames_lost", lost);
    doc.put("duplicate_results", duplicates);
    doc.put("throughput_fps", Math.round(producer.sent() / seconds * 10) / 10.0);
    doc.put("latency_ms_p50", r.latencyQuantile(0.5));
    doc.put("latency_ms_p95", r.latencyQuantile(0.95));
    doc.put("latency_ms_p99", r.latencyQuantile(0.99));
    doc.put("latency_ms_max", r.latencyQuantile(1.0));
    doc.put("consumer_lag_max", lag.max());
    doc.put("consumer_lag_samples", lag.samples());
    doc.put("model_calls", batches.batches());
    doc.put("mean_batch", Math.round(batches.meanBatch() * 100) / 100.0);
    doc.put("processing_guarantee", settings.getString(Settings.PROCESSING_GUARANTEE));
    doc.put("stream_threads", settings.getInt(Settings.STREAM_THREADS));
    doc.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    return doc;
  }

  private static void print(PrintWriter out, Map<String, Object> doc) {
    out.println("demo summary");
    doc.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m) {
            out.printf("  %-28s%n", k);
            m.forEach((kk, vv) -> out.printf("    %-26s %s%n", kk, vv));
          } else {
            out.printf("  %-28s %s%n", k, v);
          }
        });
  }

  /** Deletes a scratch directory, best effort (a leftover temp dir must not fail the run). */
  static void deleteTree(Path dir) {
    try {
      dev.hydrastream.util.Trees.delete(dir);
    } catch (java.io.IOException e) {
      // best effort
    }
  }
}
