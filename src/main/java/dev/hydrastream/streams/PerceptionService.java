package dev.hydrastream.streams;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.TensorFlowRuntime;
import dev.hydrastream.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ai.djl.Device;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: one model, one batching predictor shared by all stream threads, one
 * {@link KafkaStreams} instance running {@link PerceptionTopology}. A failed stream thread is
 * replaced (its uncommitted frames are processed again); the model outlives threads.
 */
public final class PerceptionService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PerceptionService.class);

  private final Settings settings;
  private final PerceptionModel model;
  private final BatchingPredictor batcher;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);

  private PerceptionService(Settings settings, PerceptionModel model) {
    this.settings = settings;
    this.model = model;
    this.batcher = new BatchingPredictor(model, settings.getInt(Settings.BATCH_MAX_SIZE),
        settings.getInt(Settings.BATCH_MAX_WAIT_MS), settings.getInt(Settings.BATCH_WORKERS));
    Properties props = PerceptionTopology.streamsConfig(settings);
    this.streams = new KafkaStreams(PerceptionTopology.build(settings, () -> batcher), props);
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed; replacing it (uncommitted frames will be processed"
          + " again)", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> {
      LOG.info("state {} -> {}", before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
  }

  /** Loads the model named by the settings and creates (not starts) the service. */
  public static PerceptionService create(Settings settings) {
    settings.require(Settings.BOOTSTRAP_SERVERS);
    return new PerceptionService(settings, loadModel(settings));
  }

  /** Loads the model with the device and thread settings. */
  public static PerceptionModel loadModel(Settings settings) {
    String device = settings.getString(Settings.MODEL_DEVICE);
    Device d = switch (device) {
      case "cpu" -> Device.cpu();
      case "gpu" -> Device.gpu();
      default -> null;
    };
    if (d != null && d.isGpu() && !TensorFlowRuntime.load().defaultDevice().isGpu()) {
      throw new ConfigException(Settings.MODEL_DEVICE, device,
          "no GPU visible to TensorFlow (needs CUDA 12 + cuDNN 8.9); use auto or cpu to run on"
              + " the CPU");
    }
    return PerceptionModel.load(Path.of(settings.getString(Settings.MODEL_DIR)),
        new PerceptionModel.Options(d, settings.getInt(Settings.MODEL_INTRA_OP_THREADS),
            settings.getInt(Settings.MODEL_INTER_OP_THREADS),
            settings.getDouble(Settings.MODEL_MIN_SCORE)));
  }

  /** Creates missing topics (if {@code topic.create}), starts, and waits for RUNNING. */
  public PerceptionService start(Duration timeout) throws InterruptedException {
    if (settings.getBoolean(Settings.TOPIC_CREATE)) {
      createTopics(settings);
    }
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout
          + " (state " + streams.state() + ")");
    }
    return this;
  }

  /** Creates the service's topics that do not exist yet. */
  public static void createTopics(Settings settings) {
    Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
    int partitions = settings.getInt(Settings.TOPIC_PARTITIONS);
    short rf = settings.getShort(Settings.TOPIC_REPLICATION);
    String maxBytes = String.valueOf(settings.getInt(Settings.FRAME_MAX_BYTES) + (64 << 10));
    Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)));
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topics.Topic t : topics.all()) {
        if (!existing.contains(t.name())) {
          NewTopic nt = new NewTopic(t.name(), java.util.Optional.of(partitions),
              rf < 0 ? java.util.Optional.empty() : java.util.Optional.of(rf));
          // Frames (and dead letters, which carry them) can exceed the 1 MB default.
          nt.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes));
          missing.add(nt);
        }
      }
      if (!missing.isEmpty()) {
        KafkaTopics.createAndAwait(admin, missing, Duration.ofSeconds(30));
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics on " + conf.values() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  public KafkaStreams streams() {
    return streams;
  }

  public BatchingPredictor batcher() {
    return batcher;
  }

  public PerceptionModel model() {
    return model;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    batcher.close();
    model.close();
  }
}
