package dev.hydrastream.streams.topics;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.schema.ShadowResult;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.wire.OutputFormat;
import dev.hydrastream.wire.ResultSerdes;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of topics: each topic's name (the DESIGN.md default under {@code
 * topic.prefix}), key serde and value serde, spelled once. Result values are written in {@code
 * output.format}.
 *
 * @param prefix prefix of every name
 * @param format encoding of the result topics' values
 * @param input full name of the frames topic (empty: {@code camera.frames} under the prefix)
 */
public record Topics(String prefix, OutputFormat format, String input) {

  /**
   * One topic.
   *
   * @param role the topic's default name, which says what it carries
   * @param name its full name (prefix + role)
   * @param keySerde serde of its keys
   * @param valueSerde serde of its values
   */
  public record Topic<K, V>(String role, String name, Serde<K> keySerde, Serde<V> valueSerde) {}

  public static final String CAMERA_FRAMES = "camera.frames";
  public static final String CLASSIFICATION = "perception.classification";
  public static final String DETECTIONS = "perception.detections";
  public static final String SEGMENTATION = "perception.segmentation";
  public static final String SCENE = "perception.scene";
  public static final String FRAMES = "perception.frames";
  public static final String DLQ = "perception.dlq";
  public static final String TRACKS = "perception.tracks";
  public static final String TELEMETRY = "vehicle.telemetry";
  public static final String EVENTS = "perception.events";
  public static final String ALERTS = "perception.alerts";
  public static final String CONTROL = "perception.control";
  public static final String MODEL_STATUS = "perception.model-status";
  public static final String SHADOW = "perception.shadow";

  /** The registry under {@code prefix} with Avro results (names do not depend on the format). */
  public Topics(String prefix) {
    this(prefix, OutputFormat.AVRO);
  }

  /** The registry under {@code prefix}, frames read from {@code camera.frames} under it. */
  public Topics(String prefix, OutputFormat format) {
    this(prefix, format, "");
  }

  /** The registry the settings describe ({@code topic.prefix}, {@code output.format}). */
  public static Topics of(Settings settings) {
    return new Topics(
        settings.getString(Settings.TOPIC_PREFIX),
        OutputFormat.parse(settings.getString(Settings.OUTPUT_FORMAT)),
        settings.getString(Settings.TOPIC_INPUT));
  }

  /** Input frames: Avro {@code CameraFrame} or raw JPEG/PNG bytes, keyed by camera id. */
  public Topic<String, byte[]> cameraFrames() {
    return new Topic<>(
        CAMERA_FRAMES,
        input.isEmpty() ? prefix + CAMERA_FRAMES : input,
        Serdes.String(),
        Serdes.ByteArray());
  }

  /** The topic of a per-frame result output, keyed by camera id. */
  public <V extends SpecificRecord> Topic<String, V> result(ResultOutput<V> output) {
    return result(output.role(), output.type());
  }

  public Topic<String, ClassificationResult> classification() {
    return result(ResultOutput.CLASSIFICATION);
  }

  public Topic<String, DetectionResult> detections() {
    return result(ResultOutput.DETECTIONS);
  }

  public Topic<String, SegmentationResult> segmentation() {
    return result(ResultOutput.SEGMENTATION);
  }

  public Topic<String, SceneResult> scene() {
    return result(ResultOutput.SCENE);
  }

  /** All heads of one frame in one record. */
  public Topic<String, PerceptionFrame> frames() {
    return result(ResultOutput.FRAMES);
  }

  /** The tracker's view of each frame: tracks with stable ids per camera. */
  public Topic<String, TrackResult> tracks() {
    return result(ResultOutput.TRACKS);
  }

  /** Rejected inputs, unchanged (key and value as received), plus reason headers. */
  public Topic<byte[], byte[]> dlq() {
    return new Topic<>(DLQ, prefix + DLQ, Serdes.ByteArray(), Serdes.ByteArray());
  }

  /**
   * Input telemetry: Avro {@code VehicleTelemetry} or the same record as JSON, keyed by vehicle id.
   */
  public Topic<String, byte[]> telemetry() {
    return new Topic<>(TELEMETRY, prefix + TELEMETRY, Serdes.String(), Serdes.ByteArray());
  }

  /** Frames joined with the vehicle state at capture time, keyed by vehicle id. */
  public Topic<String, PerceptionEvent> events() {
    return result(EVENTS, PerceptionEvent.class);
  }

  /** Alerts raised by the rules on the events, keyed by vehicle id. */
  public Topic<String, PerceptionAlert> alerts() {
    return result(ALERTS, PerceptionAlert.class);
  }

  /**
   * Model activations ({@code {"action":"activate","model":..,"version":..}}, JSON), keyed by model
   * name; compacted, read whole by every instance.
   */
  public Topic<String, String> control() {
    return new Topic<>(CONTROL, prefix + CONTROL, Serdes.String(), Serdes.String());
  }

  /**
   * What each instance serves and the outcome of its last activation (JSON), keyed by instance id;
   * compacted, read by {@code model status}.
   */
  public Topic<String, String> modelStatus() {
    return new Topic<>(MODEL_STATUS, prefix + MODEL_STATUS, Serdes.String(), Serdes.String());
  }

  /** The compacted topics of the model lifecycle: {@link #control()}, {@link #modelStatus()}. */
  public List<Topic<String, String>> modelTopics() {
    return List.of(control(), modelStatus());
  }

  /**
   * A shadow model's answer to each sampled frame compared with the incumbent's ({@code
   * shadow.model}), keyed by camera id; written only while a shadow runs.
   */
  public Topic<String, ShadowResult> shadow() {
    return result(SHADOW, ShadowResult.class);
  }

  /**
   * The per-frame outputs ({@link ResultOutput#ALL}): the per-task result topics, the fused one,
   * then the tracks.
   */
  public List<Topic<String, ? extends SpecificRecord>> results() {
    List<Topic<String, ? extends SpecificRecord>> out = new ArrayList<>();
    ResultOutput.ALL.forEach(o -> out.add(result(o)));
    return List.copyOf(out);
  }

  /** Every topic the service reads or writes. */
  public List<Topic<?, ?>> all() {
    List<Topic<?, ?>> out = new ArrayList<>();
    out.add(cameraFrames());
    out.addAll(results());
    out.addAll(List.of(dlq(), telemetry(), events(), alerts()));
    out.addAll(modelTopics());
    out.add(shadow());
    return List.copyOf(out);
  }

  private <V extends SpecificRecord> Topic<String, V> result(String role, Class<V> type) {
    return new Topic<>(role, prefix + role, Serdes.String(), ResultSerdes.serde(type, format));
  }
}
