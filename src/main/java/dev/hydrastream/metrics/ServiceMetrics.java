package dev.hydrastream.metrics;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.Prediction;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Perception;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The service's Prometheus metrics in one registry (names start with {@code hydrastream_}, base
 * units, counters end in {@code _total}), plus the client's JVM and process metrics. What the
 * topology sees is reported through plain methods ({@link #received}, {@link #perceived}, {@link
 * #frameCommitted}, ...), so this class knows no Kafka topology. {@link #disabled()} records
 * nothing: its methods return at once (for measuring what the metrics cost).
 */
public final class ServiceMetrics {

  /** Upper bounds (seconds) of the classic latency buckets a Prometheus server sees. */
  static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
    0.5, 0.75, 1, 1.5, 2, 3, 5, 10
  };

  /** The {@code camera_id} of frames of cameras beyond {@code metrics.cameras.max}. */
  public static final String OVERFLOW_CAMERA = "_overflow";

  /** Default of {@code metrics.cameras.max}. */
  public static final int DEFAULT_MAX_CAMERAS = 256;

  private final boolean enabled;
  private final int maxCameras;
  private final Set<String> cameras = ConcurrentHashMap.newKeySet();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter received;
  private final Counter processed;
  private final Counter deadLetters;
  private final Counter results;
  private final Counter detections;
  private final Counter attributes;
  private final Counter alerts;
  private final Gauge oodScore;
  private final Counter unsure;
  private final Counter late;
  private final Counter outOfOrder;
  private final Histogram stages;
  private final Counter stageCpu;
  private final ThreadMXBean threadClock = ManagementFactory.getThreadMXBean();
  private final Histogram latency;
  private final Histogram batchSize;
  private final Map<Stage, io.prometheus.metrics.core.datapoints.DistributionDataPoint> stage =
      new EnumMap<>(Stage.class);
  private final Info model;
  private final Counter activations;

  /**
   * The CPU series of each distinct stage label, in the order they were created; looked up once
   * (labelValues hashes a label list).
   */
  private final CounterDataPoint[] cpuSeries;

  /** Per phase of {@link FrameClock}, the index of its series in {@link #cpuSeries}. */
  private final int[] cpuSlot = new int[FrameClock.Phase.values().length];

  private final java.util.function.LongSupplier threadCpu;

  private ServiceMetrics(boolean enabled, int maxCameras) {
    this.enabled = enabled;
    this.maxCameras = maxCameras;
    received =
        Counter.builder()
            .name("hydrastream_frames_received_total")
            .help(
                "Frames read from camera.frames, per camera (after parsing the record); cameras"
                    + " beyond metrics.cameras.max under camera_id=\"_overflow\"")
            .labelNames("camera_id")
            .register(registry);
    processed =
        Counter.builder()
            .name("hydrastream_frames_processed_total")
            .help("Frames whose results were committed to the result topics")
            .register(registry);
    deadLetters =
        Counter.builder()
            .name("hydrastream_dead_letters_total")
            .help("Rejected frames committed to the dead-letter topic, per reason")
            .labelNames("reason")
            .register(registry);
    results =
        Counter.builder()
            .name("hydrastream_results_total")
            .help(
                "Result records committed, per task (fused: perception.frames, tracking: perception.tracks)")
            .labelNames("task")
            .register(registry);
    detections =
        Counter.builder()
            .name("hydrastream_detections_total")
            .help("Objects detected (above model.min.score), per class")
            .labelNames("class")
            .register(registry);
    attributes =
        Counter.builder()
            .name("hydrastream_frame_attributes_total")
            .help("Frames per predicted attribute label: weather, time of day, scene type")
            .labelNames("attribute", "label")
            .register(registry);
    alerts =
        Counter.builder()
            .name("hydrastream_alerts_total")
            .help("Alerts committed to perception.alerts, per rule and severity")
            .labelNames("rule", "severity")
            .register(registry);
    oodScore =
        Gauge.builder()
            .name("hydrastream_ood_score")
            .help(
                "Out-of-distribution score of the camera's latest frame (1 = the 95th percentile of"
                    + " the model's training frames; only for models with an ood output); cameras"
                    + " beyond metrics.cameras.max under camera_id=\"_overflow\"")
            .labelNames("camera_id")
            .register(registry);
    unsure =
        Counter.builder()
            .name("hydrastream_frames_unsure_total")
            .help(
                "Frames whose out-of-distribution score was above the model card's ood.threshold,"
                    + " per camera (only for models with an ood output)")
            .labelNames("camera_id")
            .register(registry);
    late =
        Counter.builder()
            .name("hydrastream_frames_late_total")
            .help(
                "Frames older than frame.max.age.ms at arrival, per camera and what happened to"
                    + " them (outcome: processed or dead_lettered, as frame.late.policy and"
                    + " frame.out.of.order.policy say); cameras beyond metrics.cameras.max under"
                    + " camera_id=\"_overflow\"")
            .labelNames("camera_id", "outcome")
            .register(registry);
    outOfOrder =
        Counter.builder()
            .name("hydrastream_frames_out_of_order_total")
            .help(
                "Frames captured strictly before their camera's last answered frame, per camera and"
                    + " what happened to them (outcome: processed or dead_lettered); cameras beyond"
                    + " metrics.cameras.max under camera_id=\"_overflow\"")
            .labelNames("camera_id", "outcome")
            .register(registry);
    stages =
        Histogram.builder()
            .name("hydrastream_stage_seconds")
            .help(
                "Time each frame spent in each stage; the stages are contiguous and add up to"
                    + " hydrastream_frame_latency_seconds")
            .labelNames("stage")
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(registry);
    stageCpu =
        Counter.builder()
            .name("hydrastream_stage_cpu_seconds_total")
            .help(
                "CPU time the stream threads spent on frames by stage (decode, batch_wait, result,"
                    + " latest_frame, tracking), for capacity planning; the model's is in"
                    + " hydrastream_thread_cpu_seconds_total")
            .labelNames("stage")
            .register(registry);
    latency =
        Histogram.builder()
            .name("hydrastream_frame_latency_seconds")
            .help("Capture time to the commit of the frame's results (visible to read_committed)")
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(registry);
    batchSize =
        Histogram.builder()
            .name("hydrastream_batch_size")
            .help("Frames per model call")
            .classicUpperBounds(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256)
            .withoutExemplars()
            .register(registry);
    activations =
        Counter.builder()
            .name("hydrastream_model_activations_total")
            .help(
                "Model activations from perception.control by model, version and outcome"
                    + " (activated, or refused: the old model kept serving)")
            .labelNames("model", "version", "outcome")
            .register(registry);
    model =
        Info.builder()
            .name("hydrastream_model_info")
            .help("The served model: name, version, device, input size, required device")
            .labelNames("name", "version", "device", "input", "required_device")
            .register(registry);
    for (Stage s : Stage.values()) {
      stage.put(s, stages.labelValues(s.label()));
    }
    // the series exist from the start (at 0), in this order
    List<String> cpuLabels =
        List.of(
            Stage.DECODE.label(),
            Stage.BATCH_WAIT.label(),
            Stage.RESULT.label(),
            LATEST_FRAME,
            TRACKING);
    cpuSeries = new CounterDataPoint[cpuLabels.size()];
    for (int i = 0; i < cpuSeries.length; i++) {
      cpuSeries[i] = stageCpu.labelValues(cpuLabels.get(i));
    }
    for (FrameClock.Phase p : FrameClock.Phase.values()) {
      cpuSlot[p.ordinal()] = cpuLabels.indexOf(p.cpuLabel());
    }
    threadCpu = enabled ? threadClock::getCurrentThreadCpuTime : () -> 0L;
    if (enabled) {
      JvmMetrics.builder().register(registry);
      ThreadCpu cpu = new ThreadCpu();
      if (cpu.available()) {
        CounterWithCallback.builder()
            .name("hydrastream_thread_cpu_seconds_total")
            .help(
                "CPU time of this process by thread pool: stream (Kafka Streams threads), model"
                    + " (the batcher's model calls), native (TensorFlow's compute threads),"
                    + " kafka_client, http, jvm (GC, JIT), other")
            .labelNames("pool")
            .callback(cb -> cpu.seconds().forEach((pool, sec) -> cb.call(sec, pool.label())))
            .register(registry);
      }
    }
  }

  /** Metrics that record, with at most {@link #DEFAULT_MAX_CAMERAS} camera label values. */
  public static ServiceMetrics create() {
    return create(DEFAULT_MAX_CAMERAS);
  }

  /**
   * Metrics that record, with at most {@code maxCameras} distinct {@code camera_id} values: frames
   * of further cameras are counted under {@link #OVERFLOW_CAMERA}.
   */
  public static ServiceMetrics create(int maxCameras) {
    if (maxCameras < 1) {
      throw new IllegalArgumentException("maxCameras must be at least 1: " + maxCameras);
    }
    return new ServiceMetrics(true, maxCameras);
  }

  /** The service's metrics as {@code metrics.enabled} and {@code metrics.cameras.max} say. */
  public static ServiceMetrics of(Settings settings) {
    return settings.getBoolean(Settings.METRICS_ENABLED)
        ? create(settings.getInt(Settings.METRICS_CAMERAS_MAX))
        : disabled();
  }

  /** Metrics that record nothing (the registry stays empty of observations). */
  public static ServiceMetrics disabled() {
    return new ServiceMetrics(false, DEFAULT_MAX_CAMERAS);
  }

  public boolean enabled() {
    return enabled;
  }

  /** The registry, for collectors added by the service (e.g. {@link KafkaMetricsBridge}). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Writes the Prometheus text format of every metric. */
  public void scrape(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }

  /** The content type of {@link #scrape}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** Publishes the model info metric. */
  public void model(String name, String version, String device, String input, String required) {
    model.setLabelValues(name, version, device, input, required);
  }

  /**
   * Counts an activation of {@code model} version {@code version} ({@code outcome}: activated or
   * refused); counted with metrics off too (they are rare and operators alert on refusals).
   */
  public void modelActivation(String model, String version, String outcome) {
    activations.labelValues(model, version, outcome).inc();
  }

  /** Publishes {@code hydrastream_ready} (1 when {@code ready}, 0 otherwise) as a callback. */
  public void readiness(BooleanSupplier ready) {
    GaugeWithCallback.builder()
        .name("hydrastream_ready")
        .help("1 when the model is loaded and Kafka Streams is running (as /readyz), else 0")
        .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0))
        .register(registry);
  }

  /** Creates the series of these label values at 0, so rates exist before the first event. */
  public void knownDeadLetterReasons(List<String> reasons) {
    reasons.forEach(r -> deadLetters.labelValues(r));
  }

  /** Creates the per-task result series at 0. */
  public void knownTasks(List<String> tasks) {
    tasks.forEach(t -> results.labelValues(t));
  }

  /** Creates the per-rule alert series at 0 (rule id → severity). */
  public void knownAlertRules(Map<String, String> severityByRule) {
    severityByRule.forEach((rule, severity) -> alerts.labelValues(rule, severity));
  }

  /** An alert of {@code rule} with {@code severity} was committed. */
  public void alertCommitted(String rule, String severity) {
    if (enabled) {
      alerts.labelValues(rule, severity).inc();
    }
  }

  /** A frame of {@code cameraId} was read; processing started at {@code startMillis}. */
  public void received(String cameraId, long captureTs, long startMillis) {
    if (!enabled) {
      return;
    }
    received.labelValues(cameraLabel(cameraId)).inc();
    stage.get(Stage.KAFKA_WAIT).observe(Math.max(0, startMillis - captureTs) / 1e3);
  }

  /** {@code cameraId} while fewer than {@code maxCameras} are known, else the overflow label. */
  private String cameraLabel(String cameraId) {
    if (cameras.contains(cameraId)) {
      return cameraId;
    }
    synchronized (cameras) {
      if (cameras.size() < maxCameras) {
        cameras.add(cameraId);
        return cameraId;
      }
    }
    return cameras.contains(cameraId) ? cameraId : OVERFLOW_CAMERA;
  }

  /**
   * A frame's results were handed to the producer at {@code forwardedNanos}; processing started at
   * {@code startNanos}.
   */
  public void perceived(long startNanos, Prediction p, long forwardedNanos) {
    if (!enabled) {
      return;
    }
    stage.get(Stage.DECODE).observe(seconds(p.enqueuedNanos() - startNanos));
    stage.get(Stage.BATCH_WAIT).observe(seconds(p.batchWaitNanos()));
    stage.get(Stage.MODEL).observe(seconds(p.modelNanos()));
    stage.get(Stage.RESULT).observe(seconds(forwardedNanos - p.doneNanos()));
    Perception r = p.perception();
    if (r.detections() != null) {
      for (DetectedObject d : r.detections()) {
        detections.labelValues(d.category()).inc();
      }
    }
    attribute("weather", r.weather());
    attribute("timeofday", r.timeofday());
    attribute("scene", r.scene());
  }

  /**
   * A frame of {@code cameraId} has this out-of-distribution score; {@code unsureOfIt} when it is
   * above the model's threshold. The camera's unsure series exists from its first scored frame.
   */
  public void outOfDistribution(String cameraId, double score, boolean unsureOfIt) {
    if (!enabled) {
      return;
    }
    String camera = cameraLabel(cameraId);
    oodScore.labelValues(camera).set(score);
    CounterDataPoint u = unsure.labelValues(camera);
    if (unsureOfIt) {
      u.inc();
    }
  }

  /** Label value of a late or out-of-order frame that was processed. */
  public static final String PROCESSED = "processed";

  /** Label value of a late or out-of-order frame that was dead-lettered. */
  public static final String DEAD_LETTERED = "dead_lettered";

  /**
   * A frame of {@code cameraId} was judged late and/or out of order (at processing: a frame
   * processed again after a failure counts again) and was dead-lettered or let through.
   */
  public void frameTiming(
      String cameraId, boolean isLate, boolean isOutOfOrder, boolean deadLettered) {
    if (!enabled || !(isLate || isOutOfOrder)) {
      return;
    }
    String camera = cameraLabel(cameraId);
    String outcome = deadLettered ? DEAD_LETTERED : PROCESSED;
    if (isLate) {
      late.labelValues(camera, outcome).inc();
    }
    if (isOutOfOrder) {
      outOfOrder.labelValues(camera, outcome).inc();
    }
  }

  /** Frames judged late and out of order so far, by camera label and outcome (for tests). */
  public Map<String, Long> frameTimingCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Counter c : List.of(late, outOfOrder)) {
      String kind = c == late ? "late" : "out_of_order";
      c.collect()
          .getDataPoints()
          .forEach(
              d ->
                  out.put(
                      kind
                          + "/"
                          + d.getLabels().get("camera_id")
                          + "/"
                          + d.getLabels().get("outcome"),
                      (long) d.getValue()));
    }
    return out;
  }

  private void attribute(String name, Perception.Attribute a) {
    if (a != null) {
      attributes.labelValues(name, a.label()).inc();
    }
  }

  /**
   * Starts the clock of a frame on the calling (stream) thread: wall time now, and the thread's CPU
   * time unless the metrics are disabled. Its marks become the frame's stage CPU in {@link
   * #record}.
   */
  public FrameClock startFrame() {
    return new FrameClock(System::nanoTime, threadCpu, System::currentTimeMillis);
  }

  /**
   * A frame's results were handed to the producer at the end of its {@link
   * FrameClock.Phase#TRACKING} phase: its stages' wall times ({@link #perceived(long, Prediction,
   * long)}).
   */
  public void perceived(FrameClock clock, Prediction p) {
    perceived(clock.startNanos(), p, clock.endNanos(FrameClock.Phase.TRACKING));
  }

  /**
   * The frame of {@code clock} is done: ends its last phase ({@link FrameClock.Phase#LATEST_FRAME})
   * unless it has ended, and adds the CPU of each phase to its stage in {@code
   * hydrastream_stage_cpu_seconds_total}: decoding, handing to the batcher and waiting, building
   * the result records and handing them to the producer (which encodes them) plus counting the
   * frame in these metrics, the dashboard's latest-frame entry (thumbnail, store, changelog), and
   * tracking (tracker, its state, and the fused frame it completes and hands to the producer).
   */
  public void record(FrameClock clock) {
    if (!enabled) {
      return;
    }
    if (!clock.ended(FrameClock.Phase.LATEST_FRAME)) {
      clock.mark(FrameClock.Phase.LATEST_FRAME);
    }
    // summed per stage first, so a stage of two phases gets one increment of the same value
    long[] nanos = new long[cpuSeries.length];
    for (FrameClock.Phase p : FrameClock.Phase.values()) {
      nanos[cpuSlot[p.ordinal()]] += clock.cpuNanos(p);
    }
    for (int i = 0; i < nanos.length; i++) {
      cpuSeries[i].inc(seconds(nanos[i]));
    }
  }

  /** Label of the dashboard entry's CPU in {@code hydrastream_stage_cpu_seconds_total}. */
  public static final String LATEST_FRAME = "latest_frame";

  /** Label of the tracking stage's CPU in {@code hydrastream_stage_cpu_seconds_total}. */
  public static final String TRACKING = "tracking";

  /** Told by the batching predictor about each model call. */
  public void batch(int frames, long modelNanos) {
    if (enabled) {
      batchSize.observe(frames);
    }
  }

  /**
   * A frame's results were committed at {@code nowNanos}/{@code nowMillis}; they were handed to the
   * producer at {@code sentNanos}, the frame was captured at {@code captureTs}.
   */
  public void frameCommitted(long sentNanos, long captureTs, long nowNanos, long nowMillis) {
    if (!enabled) {
      return;
    }
    processed.inc();
    stage.get(Stage.PRODUCE_TO_COMMIT).observe(seconds(nowNanos - sentNanos));
    latency.observe(Math.max(0, nowMillis - captureTs) / 1e3);
  }

  /** {@code n} result records of {@code task} were committed. */
  public void resultsCommitted(String task, int n) {
    if (enabled && n > 0) {
      results.labelValues(task).inc(n);
    }
  }

  /** A dead letter with {@code reason} was committed. */
  public void deadLetterCommitted(String reason) {
    if (enabled) {
      deadLetters.labelValues(reason).inc();
    }
  }

  /** Dead letters per reason so far (for the dashboard). */
  public Map<String, Long> deadLettersByReason() {
    Map<String, Long> out = new java.util.TreeMap<>();
    deadLetters
        .collect()
        .getDataPoints()
        .forEach(d -> out.put(d.getLabels().get("reason"), (long) d.getValue()));
    return out;
  }

  /** The q-quantile of a stage, in seconds (NaN without observations). */
  public double quantile(Stage s, double q) {
    return quantile(stages.collect(), Labels.of("stage", s.label()), q);
  }

  /** The q-quantile of capture-to-commit latency, in seconds (NaN without observations). */
  public double latencyQuantile(double q) {
    return quantile(latency.collect(), Labels.EMPTY, q);
  }

  /** Mean of a stage in seconds (NaN without observations). */
  public double mean(Stage s) {
    for (HistogramSnapshot.HistogramDataPointSnapshot p : stages.collect().getDataPoints()) {
      if (p.getLabels().equals(Labels.of("stage", s.label()))) {
        return p.getCount() == 0 ? Double.NaN : p.getSum() / p.getCount();
      }
    }
    return Double.NaN;
  }

  /** Mean capture-to-commit latency in seconds (NaN without observations). */
  public double latencyMean() {
    for (HistogramSnapshot.HistogramDataPointSnapshot p : latency.collect().getDataPoints()) {
      return p.getCount() == 0 ? Double.NaN : p.getSum() / p.getCount();
    }
    return Double.NaN;
  }

  private static double quantile(HistogramSnapshot h, Labels labels, double q) {
    for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
      if (p.getLabels().equals(labels)) {
        return Quantiles.of(p, q);
      }
    }
    return Double.NaN;
  }

  /** Names of every metric family in the registry, as exposed (without type suffixes). */
  public List<String> names() {
    return registry.scrape().stream()
        .map(MetricSnapshot::getMetadata)
        .map(m -> m.getPrometheusName())
        .toList();
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }
}
