package dev.hydrastream.streams.topics;

import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.schema.TrackResult;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The registry of per-frame result outputs: each one's topic (its role, the default name under
 * {@code topic.prefix}), the sink node that writes it, its {@code task} label in {@code
 * hydrastream_results_total}, its record type, a line for the topic table of {@code
 * docs/streaming.md} and, for the outputs {@code perceive} writes itself, the builder of its record
 * from the frame's answer. {@link Topics}, {@link PerceptionTopology}, {@link PerceptionProcessor},
 * {@link CommitObserver} and the generated docs loop over {@link #PER_TASK} and {@link #ALL}; a new
 * per-task output is one constant here, added to {@link #PER_TASK}, plus its builder in {@link
 * ResultRecords}. Sink names and the order of the lists are the topology's (its description in
 * {@code topologies/} is a contract): append, never reorder or rename.
 *
 * @param <V> the record type of its values
 */
public final class ResultOutput<V extends SpecificRecord> {

  /** Weather and time of day, with the frame's out-of-distribution score. */
  public static final ResultOutput<ClassificationResult> CLASSIFICATION =
      perTask(
          Topics.CLASSIFICATION,
          "classification-out",
          "classification",
          ClassificationResult.class,
          "weather + time of day (label, score, all scores), the frame's `ood_score`",
          f -> ResultRecords.classification(f.meta(), f.perception(), f.latencyMs()));

  /** Detected objects. */
  public static final ResultOutput<DetectionResult> DETECTIONS =
      perTask(
          Topics.DETECTIONS,
          "detections-out",
          "detection",
          DetectionResult.class,
          "boxes (inclusive pixel bounds in the original frame), class, score",
          f -> ResultRecords.detections(f.meta(), f.perception(), f.latencyMs()));

  /** The segmentation mask (built once per frame, shared with the fused record). */
  public static final ResultOutput<SegmentationResult> SEGMENTATION =
      perTask(
          Topics.SEGMENTATION,
          "segmentation-out",
          "segmentation",
          SegmentationResult.class,
          "class-id mask as 8-bit PNG covering the frame (no letterbox), class areas",
          ResultRecords::segmentation);

  /** Scene type. */
  public static final ResultOutput<SceneResult> SCENE =
      perTask(
          Topics.SCENE,
          "scene-out",
          "scene",
          SceneResult.class,
          "scene type",
          f -> ResultRecords.scene(f.meta(), f.perception(), f.latencyMs()));

  /**
   * All heads of a frame in one record, which {@code perceive} builds ({@link
   * ResultRecords#fused(ResultRecords.Frame)}) and the tracking stage completes with its tracks and
   * writes.
   */
  public static final ResultOutput<PerceptionFrame> FRAMES =
      byTrackingStage(
          Topics.FRAMES,
          "frames-out",
          "fused",
          PerceptionFrame.class,
          "all heads of one frame in one record, with the tracking stage's tracks (`tracks`, as"
              + " on `perception.tracks`) and the frame's `ood_score`");

  /** The tracker's view of each frame, written by the tracking stage. */
  public static final ResultOutput<TrackResult> TRACKS =
      byTrackingStage(
          Topics.TRACKS,
          "tracks-out",
          "tracking",
          TrackResult.class,
          "the tracker's view of the frame: every live track (id, class, box, age, velocity,"
              + " state), start and end markers, drop counts (see [tracking.md](tracking.md))");

  /**
   * The outputs {@code perceive} builds and writes itself, one record each per answered frame, in
   * the order of their sinks.
   */
  public static final List<ResultOutput<?>> PER_TASK =
      List.of(CLASSIFICATION, DETECTIONS, SEGMENTATION, SCENE);

  /** Every per-frame output: the per-task ones, then the fused frames and the tracks. */
  public static final List<ResultOutput<?>> ALL =
      java.util.stream.Stream.concat(PER_TASK.stream(), java.util.stream.Stream.of(FRAMES, TRACKS))
          .toList();

  private final String role;
  private final String sink;
  private final String task;
  private final Class<V> type;
  private final String about;
  private final Function<ResultRecords.Frame, V> builder;

  private ResultOutput(
      String role,
      String sink,
      String task,
      Class<V> type,
      String about,
      Function<ResultRecords.Frame, V> builder) {
    this.role = role;
    this.sink = sink;
    this.task = task;
    this.type = type;
    this.about = about;
    this.builder = builder;
  }

  private static <V extends SpecificRecord> ResultOutput<V> perTask(
      String role,
      String sink,
      String task,
      Class<V> type,
      String about,
      Function<ResultRecords.Frame, V> builder) {
    return new ResultOutput<>(role, sink, task, type, about, builder);
  }

  private static <V extends SpecificRecord> ResultOutput<V> byTrackingStage(
      String role, String sink, String task, Class<V> type, String about) {
    return new ResultOutput<>(role, sink, task, type, about, null);
  }

  /** The topic's default name under {@code topic.prefix}, which says what it carries. */
  public String role() {
    return role;
  }

  /** Name of the sink node that writes the topic (in the committed topology description). */
  public String sink() {
    return sink;
  }

  /** Label value of {@code task} in {@code hydrastream_results_total}. */
  public String task() {
    return task;
  }

  /** The record type of the topic's values. */
  public Class<V> type() {
    return type;
  }

  /** What a record holds, one line of Markdown (the topic table of {@code docs/streaming.md}). */
  public String about() {
    return about;
  }

  /** Whether {@code perceive} builds ({@link #build}) and writes it itself. */
  public boolean perTask() {
    return builder != null;
  }

  /**
   * The output's record of one frame; null when the model lacks the head.
   *
   * @throws UnsupportedOperationException for an output the tracking stage writes
   */
  public V build(ResultRecords.Frame frame) {
    if (builder == null) {
      throw new UnsupportedOperationException(role + " is written by the tracking stage");
    }
    return builder.apply(frame);
  }

  @Override
  public String toString() {
    return role;
  }
}
