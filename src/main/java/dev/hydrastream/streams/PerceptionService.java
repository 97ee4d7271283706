package dev.hydrastream.streams;

import ai.djl.Device;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.runtime.TensorFlowRuntime;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: one model, one batching predictor shared by all stream threads, one {@link
 * KafkaStreams} instance running {@link PerceptionTopology}. A failed stream thread is replaced
 * (its uncommitted frames are processed again); the model outlives threads.
 */
public final class PerceptionService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PerceptionService.class);

  private final Settings settings;
  private final Serving serving;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Longest wait for Kafka Streams to close. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private PerceptionService(Settings settings, PerceptionModel model) {
    this.settings = settings;
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
            settings.getInt(Settings.BATCH_WORKERS));
    this.serving = new Serving(model, validator, batcher);
    Properties props = PerceptionTopology.streamsConfig(settings);
    this.streams = new KafkaStreams(PerceptionTopology.build(settings, () -> serving), props);
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
   * loads the model named by the settings and creates (not starts) the service.
   */
  public static PerceptionService create(Settings settings) {
    settings.require(Settings.BOOTSTRAP_SERVERS);
    // Before the model: an unreachable cluster or a missing topic is reported in seconds.
    TopicAdmin.checkBrokersAndTopics(settings);
    return new PerceptionService(settings, loadModel(settings));
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
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("Kafka Streams did not close within {}; closing the model anyway", CLOSE_TIMEOUT);
    }
    serving.close();
  }
}
