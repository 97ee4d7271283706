package dev.hydrastream.streams;

import ai.djl.Device;
import dev.hydrastream.config.Secrets;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.KafkaMetricsBridge;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.metrics.ShadowStats;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.control.ModelControl;
import dev.hydrastream.streams.dashboard.LatestFrame;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.shadow.Shadow;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.ResultOutput;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.streams.tracking.TrackRecords;
import dev.hydrastream.telemetry.AlertRule;
import dev.hydrastream.telemetry.AlertRules;
import dev.hydrastream.tracking.CameraTracker;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.tracking.TrackerResult;
import dev.hydrastream.tracking.TrackerStateCodec;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.ResultSerdes;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: one model, one batching predictor shared by all stream threads, one {@link
 * KafkaStreams} instance running {@link PerceptionTopology}. A failed stream thread is replaced
 * (its uncommitted frames are processed again); the model outlives threads. It reports to one
 * {@link ServiceMetrics} (stage times, counts, the model, Kafka's own metrics) and offers its
 * latest-frame store to interactive queries ({@link #latestFrames()}).
 */
public final class PerceptionService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PerceptionService.class);

  private final Settings settings;
  private final Serving serving;
  private final Shadow shadow;
  private final KafkaStreams streams;
  private final Topology topology;
  private final CommitObserver clients;
  private final CountDownLatch running = new CountDownLatch(1);
  private final ServiceMetrics metrics;
  private final LatestFrames latest;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ModelControl control;

  /** Longest wait for Kafka Streams to close. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Why Kafka Streams was stopped (a permission a replaced thread would lack again), or null. */
  private volatile String fatal;

  private PerceptionService(Settings settings, PerceptionModel model, ServiceMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    FrameValidator validator =
        new FrameValidator(
            settings.getInt(Settings.FRAME_MAX_BYTES),
            settings.getInt(Settings.FRAME_MAX_WIDTH),
            settings.getInt(Settings.FRAME_MAX_HEIGHT));
    BatchingPredictor batcher =
        new BatchingPredictor(
            model,
            settings.getInt(Settings.BATCH_MAX_SIZE),
            settings.getInt(Settings.BATCH_MAX_WAIT_MS),
            settings.getInt(Settings.BATCH_WORKERS),
            metrics::batch,
            settings.getBoolean(Settings.BATCH_PAD_SINGLE));
    this.serving = new Serving(validator, batcher);
    publishModel(serving.card());
    Topics topics = Topics.of(settings);
    metrics.knownDeadLetterReasons(Arrays.stream(DlqReason.values()).map(Enum::name).toList());
    metrics.knownTasks(ResultOutput.ALL.stream().map(ResultOutput::task).toList());
    LOG.info("settings: {}", Secrets.dump(settings));
    if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
      Map<String, String> severities = new LinkedHashMap<>();
      for (AlertRule r : AlertRules.load(settings.alertRulesFile()).rules()) {
        severities.put(r.id(), r.severity().name());
      }
      metrics.knownAlertRules(severities);
    }
    this.shadow = startShadow(settings, serving, metrics);
    Properties props = PerceptionTopology.streamsConfig(settings);
    this.topology = PerceptionTopology.build(settings, () -> serving, () -> shadow, metrics);
    // Also without metrics: it prefetches the producers' topic metadata (prefetchMetadata).
    this.clients = new CommitObserver(metrics, topics);
    this.streams = new KafkaStreams(topology, props, clients);
    if (metrics.enabled()) {
      metrics.registry().register(new KafkaMetricsBridge(streams::metrics));
    }
    Object server = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    this.latest =
        new LatestFrames(
            streams,
            server == null || server.toString().isBlank()
                ? null
                : HostInfo.buildFromEndpoint(server.toString()));
    streams.setUncaughtExceptionHandler(
        e -> {
          AuthorizationException denied = authorization(e);
          if (denied != null) {
            // A replaced thread would be denied again, forever: stop, naming the permission.
            fatal =
                "not authorized: "
                    + denied.getMessage()
                    + " (docs/reliability.md \"Security\" lists the ACLs the service needs)";
            LOG.error(fatal, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          LOG.error(
              "stream thread failed; replacing it (uncommitted frames will be processed"
                  + " again)",
              e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("state {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING && running.getCount() == 0) {
            // a rebalance or a replaced thread may have made producers since start
            prefetchMetadataInBackground();
          }
          if (now == KafkaStreams.State.RUNNING
              || now == KafkaStreams.State.ERROR
              || now == KafkaStreams.State.PENDING_ERROR) {
            running.countDown();
          }
        });
  }

  /**
   * The shadow of {@code shadow.model} (null when empty), its comparison published to {@code
   * metrics}; a model that fails to load or verify closes {@code serving} and fails naming the
   * setting.
   */
  private static Shadow startShadow(Settings settings, Serving serving, ServiceMetrics metrics) {
    if (Settings.shadowModel(settings.getString(Settings.SHADOW_MODEL)) == null) {
      return null;
    }
    try {
      ShadowStats stats =
          new ShadowStats(
              serving.card().id(),
              settings.getString(Settings.SHADOW_MODEL),
              settings.getDouble(Settings.SHADOW_FRACTION));
      Shadow s = Shadow.start(settings, serving, modelOptions(settings, null), stats);
      stats.register(metrics);
      return s;
    } catch (RuntimeException e) {
      serving.close();
      throw e;
    }
  }

  /** Publishes the served model's info metric (at start and after each switch). */
  private void publishModel(ModelCard card) {
    metrics.model(
        card.name(),
        card.version(),
        serving.device(),
        card.inputWidth() + "x" + card.inputHeight(),
        settings.getString(Settings.MODEL_DEVICE));
  }

  /**
   * Checks the model's files, that the brokers answer (and, with {@code topic.create=false}, that
   * the topics exist), loads the model named by the settings and creates (not starts) the service,
   * with its own metrics ({@code metrics.enabled}).
   */
  public static PerceptionService create(Settings settings) {
    return create(settings, ServiceMetrics.of(settings));
  }

  /** Loads the model and creates (not starts) the service, reporting to {@code metrics}. */
  public static PerceptionService create(Settings settings, ServiceMetrics metrics) {
    checkBeforeStart(settings);
    return new PerceptionService(settings, loadModel(settings), metrics);
  }

  /**
   * The start-up checks that need no engine, cheapest first: the model's files ({@link
   * PerceptionModel#checkFiles}, milliseconds), then the brokers (and, with {@code
   * topic.create=false}, the topics) within {@code bootstrap.timeout.ms}. Each failure is one
   * message naming the file, address or topic.
   */
  public static void checkBeforeStart(Settings settings) {
    settings.require(Settings.BOOTSTRAP_SERVERS);
    PerceptionModel.checkFiles(settings.modelDir());
    TopicAdmin.checkBrokersAndTopics(settings);
  }

  /** Loads the model with the device and thread settings. */
  public static PerceptionModel loadModel(Settings settings) {
    String device = settings.getString(Settings.MODEL_DEVICE);
    Device d =
        switch (device) {
          case "cpu" -> Device.cpu();
          case "gpu" -> Device.gpu();
          default -> null;
        };
    if (d != null && d.isGpu() && !TensorFlowRuntime.load().defaultDevice().isGpu()) {
      throw new ConfigException(
          Settings.MODEL_DEVICE,
          device,
          "no GPU visible to TensorFlow (needs CUDA 12 + cuDNN 8.9); use auto or cpu to run on"
              + " the CPU");
    }
    return PerceptionModel.load(settings.modelDir(), modelOptions(settings, d));
  }

  /** The device, thread and score settings every model of this service loads with. */
  private static PerceptionModel.Options modelOptions(Settings settings, Device device) {
    return PerceptionModel.Options.builder()
        .optDevice(device)
        .optThreads(
            settings.getInt(Settings.MODEL_INTRA_OP_THREADS),
            settings.getInt(Settings.MODEL_INTER_OP_THREADS))
        .optMinScore(settings.getDouble(Settings.MODEL_MIN_SCORE))
        .build();
  }

  /**
   * Runs the code each frame goes through after the model on the warm-up frame's results: the
   * per-task records and their encoding, the tracker and its state codec, and the dashboard entry
   * with its thumbnail. The JIT compiles code on first use: without this, a fresh service spends a
   * few hundred milliseconds of its first frame here, and the frames behind it queue. Nothing is
   * sent or stored.
   */
  private void warmUpResults(Serving.WarmUp warm) {
    Topics topics = Topics.of(settings);
    Serializer<SpecificRecord> serializer = ResultSerdes.serializer(topics.format());
    TrackerConfig trackerConfig = TrackerConfig.of(settings);
    CameraTracker tracker = new CameraTracker(trackerConfig);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      FrameMeta meta =
          new FrameMeta(
              FrameMeta.frameId("warm-up", i),
              "warm-up",
              null,
              i,
              now + i * 200L,
              warm.frame().letterbox().srcWidth(),
              warm.frame().letterbox().srcHeight());
      ResultRecords.Outputs out = ResultRecords.all(meta, warm.perception(), 1.0);
      for (SpecificRecord r :
          List.<SpecificRecord>of(
              out.classification(), out.scene(), out.detections(), out.segmentation())) {
        serializer.serialize("warm-up", r);
      }
      TrackerResult tracked =
          tracker.update(meta.captureTs(), TrackRecords.observations(out.fused()));
      TrackerStateCodec.encode(tracker);
      TrackResult tracks = TrackRecords.of(out.fused(), tracked, 1.0);
      out.fused().setTracks(tracks.getTracks());
      serializer.serialize("warm-up", out.fused());
      serializer.serialize("warm-up", tracks);
      new LatestFrame(
              meta,
              warm.perception(),
              warm.frame(),
              1.0,
              serving.card().oodThreshold(),
              out.fused().getTracks())
          .toJson(5.0, i + 1);
    }
  }

  /**
   * Fetches, into the stream threads' producers, the metadata of every topic the topology writes:
   * its sinks and the application's changelogs (created by Kafka Streams during the first
   * rebalance, so listed once RUNNING). See {@link CommitObserver#prefetch}. Best effort.
   */
  private Thread prefetchMetadataInBackground() {
    Thread t = new Thread(this::prefetchMetadata, "hydra-metadata-prefetch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** How long {@link #start} waits for the metadata prefetch. */
  private static final Duration PREFETCH_WAIT = Duration.ofSeconds(5);

  private void prefetchMetadata() {
    Set<String> written = new TreeSet<>();
    for (TopologyDescription.Subtopology st : topology.describe().subtopologies()) {
      for (TopologyDescription.Node n : st.nodes()) {
        if (n instanceof TopologyDescription.Sink sink && sink.topic() != null) {
          written.add(sink.topic());
        }
      }
    }
    // Only topics that exist: a producer asked about a missing one blocks for max.block.ms.
    String internal = settings.getString(Settings.APPLICATION_ID) + "-";
    try (Admin admin = Admin.create(TopicAdmin.adminConfig(settings))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      written.retainAll(existing);
      for (String t : existing) {
        if (t.startsWith(internal) && t.endsWith("-changelog")) {
          written.add(t);
        }
      }
    } catch (Exception e) {
      LOG.debug("topics not listed; no metadata prefetch: {}", e.toString());
      return;
    }
    long t0 = System.nanoTime();
    int n = clients.prefetch(written);
    LOG.info(
        "fetched metadata of {} topics into the producers ({} fetches, {} ms)",
        written.size(),
        n,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** Creates missing topics (if {@code topic.create}), starts, and waits for RUNNING. */
  public PerceptionService start(Duration timeout) throws InterruptedException {
    if (settings.getBoolean(Settings.TOPIC_CREATE)) {
      TopicAdmin.createServiceTopics(settings);
    }
    if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
      TopicAdmin.checkCopartitioned(settings);
    }
    // The model of the last activation before the first frame: a restarted instance serves it.
    control =
        new ModelControl(
            settings, serving, metrics, modelOptions(settings, null), this::publishModel);
    control.start();
    long t0 = System.nanoTime();
    Serving.WarmUp warm = serving.warmUp(settings.getInt(Settings.BATCH_MAX_SIZE));
    warmUpResults(warm);
    LOG.info(
        "warmed up in {} ms (decode, model at batch 1 and {}, result records, tracker, dashboard"
            + " entry, on a throwaway frame)",
        (System.nanoTime() - t0) / 1_000_000,
        settings.getInt(Settings.BATCH_MAX_SIZE));
    streams.start();
    boolean reached = running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (fatal != null) {
      throw new IllegalStateException("Kafka Streams stopped: " + fatal);
    }
    KafkaStreams.State state = streams.state();
    if (!reached
        || state == KafkaStreams.State.ERROR
        || state == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException(
          "Kafka Streams did not reach RUNNING within "
              + timeout
              + " (state "
              + streams.state()
              + ")");
    }
    // bounded: a broker slow to answer delays the first frames, not the start
    prefetchMetadataInBackground().join(PREFETCH_WAIT.toMillis());
    return this;
  }

  /** The authorization failure behind {@code e}, if any (Kafka wraps it in StreamsExceptions). */
  private static AuthorizationException authorization(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthorizationException a) {
        return a;
      }
    }
    return null;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Ready to serve: the model is loaded (it is, once this object exists), Kafka Streams has reached
   * RUNNING and is still running (RUNNING or REBALANCING; not after it stopped or failed).
   */
  public boolean ready() {
    KafkaStreams.State s = streams.state();
    return running.getCount() == 0
        && (s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING);
  }

  /** The metrics this service reports to. */
  public ServiceMetrics metrics() {
    return metrics;
  }

  /** Interactive queries of the latest-frame store. */
  public LatestFrames latestFrames() {
    return latest;
  }

  /** The reader of perception.control (null before {@link #start}). */
  public ModelControl modelControl() {
    return control;
  }

  /** The shadow model beside the served one ({@code shadow.model}), or null. */
  public Shadow shadow() {
    return shadow;
  }

  /** The serving facade (model, decoder, batcher) shared by the stream threads. */
  public Serving serving() {
    return serving;
  }

  /**
   * Closes Kafka Streams (at most {@link #CLOSE_TIMEOUT}: the threads finish their current frames
   * and commit) and then the batcher and the model. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ModelControl c = control;
    if (c != null) {
      c.close();
    }
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("Kafka Streams did not close within {}; closing the model anyway", CLOSE_TIMEOUT);
    }
    if (shadow != null) {
      shadow.close();
    }
    serving.close();
  }
}
