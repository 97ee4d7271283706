package dev.hydrastream.streams;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.streams.serde.OutputFormat;
import dev.hydrastream.streams.serde.ResultSerdes;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The perception topology as a pure function of the settings: the same code builds what runs,
 * what {@code topology describe} writes to {@code topologies/}, and what the tests drive.
 *
 * <pre>
 * camera.frames → perceive ─┬→ perception.classification
 *                           ├→ perception.detections
 *                           ├→ perception.segmentation
 *                           ├→ perception.scene
 *                           └→ perception.frames
 *              (bad frames → perception.dlq via {@link DeadLetterHandler})
 * </pre>
 */
public final class PerceptionTopology {

  static final String SOURCE = "camera-frames";
  static final String PERCEIVE = "perceive";
  static final String SINK_CLASSIFICATION = "classification-out";
  static final String SINK_DETECTIONS = "detections-out";
  static final String SINK_SEGMENTATION = "segmentation-out";
  static final String SINK_SCENE = "scene-out";
  static final String SINK_FRAMES = "frames-out";

  private PerceptionTopology() {}

  /**
   * Builds the topology.
   *
   * @param batcher supplies the shared batching predictor when tasks are created (never called
   *     by {@link Topology#describe()})
   */
  public static Topology build(Settings settings, Supplier<BatchingPredictor> batcher) {
    Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
    OutputFormat format = OutputFormat.parse(settings.getString(Settings.OUTPUT_FORMAT));
    FrameValidator validator = new FrameValidator(settings.getInt(Settings.FRAME_MAX_BYTES),
        settings.getInt(Settings.FRAME_MAX_WIDTH), settings.getInt(Settings.FRAME_MAX_HEIGHT));
    long timeout = settings.getInt(Settings.PREDICT_TIMEOUT_MS);
    Serializer<SpecificRecord> values = ResultSerdes.serializer(format);
    Serializer<String> keys = Serdes.String().serializer();

    Topology t = new Topology();
    t.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
        topics.cameraFrames().name());
    t.addProcessor(PERCEIVE, () -> new PerceptionProcessor(batcher, validator, timeout,
        format.contentType()), SOURCE);
    t.addSink(SINK_CLASSIFICATION, topics.classification().name(), keys, values, PERCEIVE);
    t.addSink(SINK_DETECTIONS, topics.detections().name(), keys, values, PERCEIVE);
    t.addSink(SINK_SEGMENTATION, topics.segmentation().name(), keys, values, PERCEIVE);
    t.addSink(SINK_SCENE, topics.scene().name(), keys, values, PERCEIVE);
    t.addSink(SINK_FRAMES, topics.frames().name(), keys, values, PERCEIVE);
    return t;
  }

  /** Kafka Streams configuration from the settings ({@code kafka.*} overrides applied last). */
  public static Properties streamsConfig(Settings settings) {
    Topics topics = new Topics(settings.getString(Settings.TOPIC_PREFIX));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.getString(Settings.APPLICATION_ID));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        settings.getString(Settings.PROCESSING_GUARANTEE));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.getInt(Settings.STREAM_THREADS));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.getLong(Settings.COMMIT_INTERVAL_MS));
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq().name());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
        settings.getInt(Settings.MAX_POLL_RECORDS));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        settings.getInt(Settings.MAX_POLL_INTERVAL_MS));
    // Frames are up to frame.max.bytes; results (a PNG mask) are far smaller.
    int frameBytes = settings.getInt(Settings.FRAME_MAX_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Math.max(1 << 20, frameBytes + (64 << 10)));
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
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
