package dev.hydrastream.streams.perception;

import static dev.hydrastream.streams.topics.TopologyNodes.LATEST;
import static dev.hydrastream.streams.topics.TopologyNodes.PERCEIVE;
import static dev.hydrastream.streams.topics.TopologyNodes.SOURCE;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.streams.dashboard.LatestFrameProcessor;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.events.EventTopology;
import dev.hydrastream.streams.shadow.Shadow;
import dev.hydrastream.streams.timing.CameraClock;
import dev.hydrastream.streams.topics.ResultOutput;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.streams.topics.TopologyNodes;
import dev.hydrastream.streams.tracking.TrackingProcessor;
import dev.hydrastream.tracking.TrackerConfig;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The perception topology as a pure function of the settings: the same code builds what runs, what
 * {@code topology describe} writes to {@code topologies/}, and what the tests drive.
 *
 * <pre>
 * camera.frames → perceive ─┬→ perception.classification   (one sink per ResultOutput.PER_TASK)
 *                           ├→ perception.detections
 *                           ├→ perception.segmentation
 *                           ├→ perception.scene
 *                           ├→ latest-frame [latest-frames store: dashboard]
 *                           └→ track [tracker-state store, per camera] ─┬→ perception.frames (+ tracks)
 *                                                                       └→ perception.tracks
 *              (bad frames → perception.dlq via {@link DeadLetterHandler})
 *              (perceive keeps the camera-clock store: late and out-of-order frames, per camera)
 *              (with shadow.model: perceive → shadow-out → perception.shadow, see {@link Shadow})
 * </pre>
 */
public final class PerceptionTopology {

  private PerceptionTopology() {}

  /**
   * Builds the topology.
   *
   * @param serving supplies the shared serving facade when tasks are created (never called by
   *     {@link Topology#describe()})
   */
  public static Topology build(Settings settings, Supplier<Serving> serving) {
    return build(settings, serving, ServiceMetrics.disabled());
  }

  /**
   * Builds the topology, its processors reporting to {@code metrics}.
   *
   * @param serving supplies the shared serving facade when tasks are created (never called by
   *     {@link Topology#describe()})
   */
  public static Topology build(
      Settings settings, Supplier<Serving> serving, ServiceMetrics metrics) {
    return build(settings, serving, () -> null, metrics);
  }

  /**
   * Builds the topology, its processors reporting to {@code metrics}; with {@code shadow.model}
   * set, {@code perceive} hands sampled frames to the shadow and writes its records to
   * perception.shadow (a sink only then, so the default topology stays as described).
   *
   * @param serving supplies the shared serving facade when tasks are created (never called by
   *     {@link Topology#describe()})
   * @param shadow supplies the running shadow (null: none) when tasks are created
   */
  public static Topology build(
      Settings settings,
      Supplier<Serving> serving,
      Supplier<Shadow> shadow,
      ServiceMetrics metrics) {
    Topics topics = Topics.of(settings);

    // the event stages (DSL) first, when enabled; the perception nodes join the same topology
    Topology t =
        settings.getBoolean(Settings.TELEMETRY_ENABLED)
            ? EventTopology.topology(settings, topics)
            : new Topology();
    Topics.Topic<String, byte[]> in = topics.cameraFrames();
    t.addSource(SOURCE, in.keySerde().deserializer(), in.valueSerde().deserializer(), in.name());
    FrameSettings frames = FrameSettings.of(settings, topics.format().contentType());
    t.addProcessor(
        PERCEIVE, () -> new PerceptionProcessor(serving, shadow, metrics, frames), SOURCE);
    // Each camera's last answered capture time and late/out-of-order counts (exactly-once with
    // the results, so a restarted or moved task judges the next frame as if it never stopped).
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CameraClock.STORE), Serdes.String(), Serdes.ByteArray()),
        PERCEIVE);
    for (ResultOutput<?> o : ResultOutput.PER_TASK) {
      TopologyNodes.sink(t, o.sink(), topics.result(o), PERCEIVE);
    }
    if (Settings.shadowModel(settings.getString(Settings.SHADOW_MODEL)) != null) {
      TopologyNodes.sink(t, TopologyNodes.SHADOW, topics.shadow(), PERCEIVE);
    }
    // The latest frame of each camera, for the dashboard (interactive queries).
    int updateMs = settings.getInt(Settings.DASHBOARD_UPDATE_MS);
    int maxCameras = settings.getInt(Settings.METRICS_CAMERAS_MAX);
    t.addProcessor(LATEST, () -> new LatestFrameProcessor(updateMs, maxCameras), PERCEIVE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(LatestFrames.STORE), Serdes.String(), Serdes.ByteArray()),
        LATEST);
    TrackingProcessor.addTo(
        t,
        PERCEIVE,
        topics.frames(),
        topics.tracks(),
        TrackerConfig.of(settings),
        frames.latency());
    return t;
  }

  /** Kafka Streams configuration from the settings ({@code kafka.*} overrides applied last). */
  public static Properties streamsConfig(Settings settings) {
    Topics topics = Topics.of(settings);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.getString(Settings.APPLICATION_ID));
    p.put(
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)));
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        settings.getString(Settings.PROCESSING_GUARANTEE));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.getInt(Settings.STREAM_THREADS));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.getLong(Settings.COMMIT_INTERVAL_MS));
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq().name());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // The partition assignor builds a StreamsConfig from the main consumer's settings, which
    // drop the flag above: without this copy every stream thread warns that it is unset.
    p.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
        settings.getInt(Settings.MAX_POLL_RECORDS));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        settings.getInt(Settings.MAX_POLL_INTERVAL_MS));
    // Frames are up to frame.max.bytes; results (a PNG mask) are far smaller.
    int frameBytes = settings.getInt(Settings.FRAME_MAX_BYTES);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Math.max(1 << 20, frameBytes + (64 << 10)));
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Math.max(1 << 20, frameBytes + (64 << 10)));
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    String stateDir = settings.getString(Settings.STATE_DIR);
    if (!stateDir.isBlank()) {
      p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    }
    p.putAll(settings.kafkaOverrides());
    return p;
  }
}
