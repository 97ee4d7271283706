package dev.hydrastream.streams;

import ai.djl.Device;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.KafkaMetricsBridge;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.telemetry.AlertRule;
import dev.hydrastream.telemetry.AlertRules;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
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
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final ServiceMetrics metrics;
  private final LatestFrames latest;

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
            metrics::batch);
    this.serving = new Serving(model, validator, batcher);
    metrics.model(
        serving.card().name(),
        serving.card().version(),
        serving.device(),
        serving.card().inputWidth() + "x" + serving.card().inputHeight(),
        settings.getString(Settings.MODEL_DEVICE));
    Topics topics = Topics.of(settings);
    metrics.knownDeadLetterReasons(Arrays.stream(DlqReason.values()).map(Enum::name).toList());
    metrics.knownTasks(topics.results().stream().map(t -> CommitObserver.task(t.role())).toList());
    if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
      Map<String, String> severities = new LinkedHashMap<>();
      for (AlertRule r : AlertRules.load(settings.alertRulesFile()).rules()) {
        severities.put(r.id(), r.severity().name());
      }
      metrics.knownAlertRules(severities);
    }
    Properties props = PerceptionTopology.streamsConfig(settings);
    Topology topology = PerceptionTopology.build(settings, () -> serving, metrics);
    this.streams =
        metrics.enabled()
            ? new KafkaStreams(topology, props, new CommitObserver(metrics, topics))
            : new KafkaStreams(topology, props);
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
          LOG.error(
              "stream thread failed; replacing it (uncommitted frames will be processed"
                  + " again)",
              e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("state {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
  }

  /**
   * Checks that the brokers answer (and, with {@code topic.create=false}, that the topics exist),
   * loads the model named by the settings and creates (not starts) the service, with its own
   * metrics ({@code metrics.enabled}).
   */
  public static PerceptionService create(Settings settings) {
    return create(
        settings,
        settings.getBoolean(Settings.METRICS_ENABLED)
            ? ServiceMetrics.create()
            : ServiceMetrics.disabled());
  }

  /** Loads the model and creates (not starts) the service, reporting to {@code metrics}. */
  public static PerceptionService create(Settings settings, ServiceMetrics metrics) {
    settings.require(Settings.BOOTSTRAP_SERVERS);
    // Before the model: an unreachable cluster or a missing topic is reported in seconds.
    TopicAdmin.checkBrokersAndTopics(settings);
    return new PerceptionService(settings, loadModel(settings), metrics);
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
    return PerceptionModel.load(
        settings.modelDir(),
        new PerceptionModel.Options(
            d,
            settings.getInt(Settings.MODEL_INTRA_OP_THREADS),
            settings.getInt(Settings.MODEL_INTER_OP_THREADS),
            settings.getDouble(Settings.MODEL_MIN_SCORE)));
  }

  /** Creates missing topics (if {@code topic.create}), starts, and waits for RUNNING. */
  public PerceptionService start(Duration timeout) throws InterruptedException {
    if (settings.getBoolean(Settings.TOPIC_CREATE)) {
      TopicAdmin.createServiceTopics(settings);
    }
    if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
      EventTopology.checkCopartitioned(settings);
    }
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "Kafka Streams did not reach RUNNING within "
              + timeout
              + " (state "
              + streams.state()
              + ")");
    }
    return this;
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

  /** The serving facade (model, decoder, batcher) shared by the stream threads. */
  public Serving serving() {
    return serving;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    serving.close();
  }
}
