package dev.hydrastream.streams.topics;

import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import dev.hydrastream.schema.SegmentationMask;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.wire.FrameMeta;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Maps what the model says about a frame ({@link Perception}) to the output records of the result
 * topics. Every method takes the frame's {@link FrameMeta}, the result and the latency from capture
 * to result; a per-task record whose head the model does not have is null. The frame's
 * out-of-distribution score ({@code ood_score}, null for models without it) is on the image-level
 * classification record and the fused record.
 *
 * <p>The segmentation mask is published as an 8-bit grayscale PNG of class ids on a frame-aligned
 * grid (letterbox padding removed) as wide as the model's mask, with the frame's aspect ratio.
 * Building it is the expensive part: a {@link Frame} builds it once for the segmentation and the
 * fused record.
 */
public final class ResultRecords {

  /**
   * The five records of one frame. The segmentation and fused records share one {@link
   * SegmentationMask} instance: encode them, do not modify them.
   */
  public record Outputs(
      ClassificationResult classification,
      SceneResult scene,
      DetectionResult detections,
      SegmentationResult segmentation,
      PerceptionFrame fused) {}

  /**
   * One answered frame, from which each output's record is built: its metadata, what the model
   * said, the latency from capture to result, and the published segmentation mask, built at most
   * once however many records carry it. One frame, one thread: not thread-safe.
   */
  public static final class Frame {
    private final FrameMeta meta;
    private final Perception perception;
    private final double latencyMs;
    private SegmentationMask mask;

    private Frame(FrameMeta meta, Perception perception, double latencyMs) {
      this.meta = meta;
      this.perception = perception;
      this.latencyMs = latencyMs;
    }

    public FrameMeta meta() {
      return meta;
    }

    public Perception perception() {
      return perception;
    }

    public double latencyMs() {
      return latencyMs;
    }

    /** The published mask ({@link ResultRecords#mask}); null when the model has no such head. */
    public SegmentationMask mask() {
      if (mask == null && perception.segmentation() != null) {
        mask = ResultRecords.mask(perception.segmentation());
      }
      return mask;
    }
  }

  private ResultRecords() {}

  /** One answered frame, whose records the result outputs build. */
  public static Frame frame(FrameMeta meta, Perception r, double latencyMs) {
    return new Frame(meta, r, latencyMs);
  }

  /** All records of one frame, the segmentation mask built once. */
  public static Outputs all(FrameMeta meta, Perception r, double latencyMs) {
    Frame f = frame(meta, r, latencyMs);
    return new Outputs(
        classification(meta, r, latencyMs),
        scene(meta, r, latencyMs),
        detections(meta, r, latencyMs),
        segmentation(f),
        fused(f));
  }

  /** Segmentation mask of the frame (its shared mask); null when the model has no such head. */
  public static SegmentationResult segmentation(Frame f) {
    return segmentation(f.meta(), f.perception(), f.latencyMs(), f.mask());
  }

  /**
   * Every head of the frame in one record (its shared mask); see {@link #fused(FrameMeta,
   * Perception, double)}.
   */
  public static PerceptionFrame fused(Frame f) {
    return fused(f.meta(), f.perception(), f.latencyMs(), f.mask());
  }

  /** Weather and time of day; null when the model has neither head. */
  public static ClassificationResult classification(
      FrameMeta meta, Perception r, double latencyMs) {
    if (r.weather() == null && r.timeofday() == null) {
      return null;
    }
    ClassificationResult out = common(new ClassificationResult(), meta, r, latencyMs);
    out.setWeather(attribute(r.weather()));
    out.setTimeofday(attribute(r.timeofday()));
    out.setOodScore(r.oodScore());
    return out;
  }

  /** Scene type; null when the model has no scene head. */
  public static SceneResult scene(FrameMeta meta, Perception r, double latencyMs) {
    if (r.scene() == null) {
      return null;
    }
    SceneResult out = common(new SceneResult(), meta, r, latencyMs);
    out.setScene(attribute(r.scene()));
    return out;
  }

  /** Detections, in the result's order (best first); null when the model has no detection head. */
  public static DetectionResult detections(FrameMeta meta, Perception r, double latencyMs) {
    if (r.detections() == null) {
      return null;
    }
    DetectionResult out = common(new DetectionResult(), meta, r, latencyMs);
    out.setDetections(detections(r.detections()));
    return out;
  }

  /** Segmentation mask; null when the model has no segmentation head. */
  public static SegmentationResult segmentation(FrameMeta meta, Perception r, double latencyMs) {
    return segmentation(
        meta, r, latencyMs, r.segmentation() == null ? null : mask(r.segmentation()));
  }

  /** Every head in one record; heads the model does not have are null (detections empty). */
  public static PerceptionFrame fused(FrameMeta meta, Perception r, double latencyMs) {
    return fused(meta, r, latencyMs, r.segmentation() == null ? null : mask(r.segmentation()));
  }

  private static SegmentationResult segmentation(
      FrameMeta meta, Perception r, double latencyMs, SegmentationMask mask) {
    if (mask == null) {
      return null;
    }
    SegmentationResult out = common(new SegmentationResult(), meta, r, latencyMs);
    out.setMask(mask);
    return out;
  }

  private static PerceptionFrame fused(
      FrameMeta meta, Perception r, double latencyMs, SegmentationMask mask) {
    PerceptionFrame out = common(new PerceptionFrame(), meta, r, latencyMs);
    out.setWeather(attribute(r.weather()));
    out.setTimeofday(attribute(r.timeofday()));
    out.setScene(attribute(r.scene()));
    out.setDetections(r.detections() == null ? List.of() : detections(r.detections()));
    out.setSegmentation(mask);
    out.setTracks(List.of()); // the tracking stage sets them
    out.setOodScore(r.oodScore());
    return out;
  }

  /** Sets the common output fields, which every output schema declares with the same names. */
  private static <T extends SpecificRecordBase> T common(
      T record, FrameMeta meta, Perception r, double latencyMs) {
    record.put("frame_id", meta.frameId());
    record.put("camera_id", meta.cameraId());
    record.put("vehicle_id", meta.vehicleId());
    record.put("frame_seq", meta.frameSeq());
    record.put("capture_ts", Instant.ofEpochMilli(meta.captureTs()));
    record.put("frame_width", meta.width());
    record.put("frame_height", meta.height());
    record.put("model", r.model().id());
    record.put("latency_ms", latencyMs);
    return record;
  }

  /** An attribute head's prediction; null for null. */
  public static AttributePrediction attribute(Perception.Attribute a) {
    if (a == null) {
      return null;
    }
    Map<String, Float> scores = new LinkedHashMap<>();
    a.probabilities().forEach((label, p) -> scores.put(label, (float) p.doubleValue()));
    return new AttributePrediction(a.label(), (float) a.probability(), scores);
  }

  /**
   * Detections in record form; {@code class_id} is the index in {@link Taxonomy#DETECTION}, -1 for
   * a category outside it.
   */
  public static List<Detection> detections(List<dev.hydrastream.spec.DetectedObject> detections) {
    List<Detection> out = new ArrayList<>(detections.size());
    for (dev.hydrastream.spec.DetectedObject d : detections) {
      dev.hydrastream.spec.Box b = d.box();
      out.add(
          new Detection(
              d.category(),
              Head.DETECTION.labels().indexOf(d.category()),
              (float) d.score(),
              new Box2d((float) b.x1(), (float) b.y1(), (float) b.x2(), (float) b.y2())));
    }
    return out;
  }

  /**
   * The published form of a segmentation: the model mask resampled (nearest) to a frame-aligned
   * grid as wide as the model mask (at most the frame width) with the frame's aspect ratio, encoded
   * as an 8-bit grayscale PNG, and the fraction of that grid covered by each class of {@link
   * Taxonomy#SEGMENTATION}.
   */
  public static SegmentationMask mask(Perception.Segmentation seg) {
    Letterbox lb = seg.letterbox();
    int w = Math.min(seg.width(), lb.srcWidth());
    int h = Math.max(1, (int) Math.round(w * (double) lb.srcHeight() / lb.srcWidth()));
    byte[] grid = seg.toFrameGrid(w, h);
    List<String> classes = Head.SEGMENTATION.labels();
    long[] counts = new long[classes.size()];
    for (byte b : grid) {
      int c = b & 255;
      if (c < counts.length) {
        counts[c]++;
      }
    }
    Map<String, Float> areas = new LinkedHashMap<>();
    for (int c = 0; c < counts.length; c++) {
      areas.put(classes.get(c), (float) (counts[c] / (double) grid.length));
    }
    return new SegmentationMask(
        classes, w, h, ByteBuffer.wrap(ImageEncoder.grayPng(grid, w, h)), areas);
  }
}
