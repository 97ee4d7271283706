package dev.hydrastream.streams.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.FrameMeta;
import java.util.Base64;
import java.util.List;

/**
 * What the perceive step hands the latest-per-camera store for one frame, and the JSON document the
 * store keeps for it (the body of {@code /api/cameras/{id}/latest}): the frame's metadata, every
 * head's output in frame pixels, the segmentation mask on a small frame-aligned grid, and a JPEG
 * thumbnail of what the model saw (the letterboxed input, padding removed), and, for a model with
 * an out-of-distribution output, the frame's score against the card's threshold; and the tracking
 * stage's tracks after this frame (id, class, state, score, box in frame pixels; tentative tracks
 * left out: they are not yet objects).
 *
 * @param meta the frame's metadata
 * @param perception the model's output
 * @param decoded the model input the frame was decoded into
 * @param latencyMs capture to result, as written into the result records
 * @param oodThreshold the served model's {@link dev.hydrastream.spec.ModelCard#oodThreshold()}
 * @param tracks the tracking stage's tracks after this frame (as on {@code perception.frames});
 *     empty when the tracker skipped the frame
 */
public record LatestFrame(
    FrameMeta meta,
    Perception perception,
    FrameDecoder.Decoded decoded,
    double latencyMs,
    double oodThreshold,
    List<Track> tracks) {

  /** A frame without tracks. */
  public LatestFrame(
      FrameMeta meta,
      Perception perception,
      FrameDecoder.Decoded decoded,
      double latencyMs,
      double oodThreshold) {
    this(meta, perception, decoded, latencyMs, oodThreshold, List.of());
  }

  public LatestFrame {
    tracks = tracks == null ? List.of() : List.copyOf(tracks);
  }

  /** JPEG quality of thumbnails: small, and boxes are drawn over them anyway. */
  static final int THUMBNAIL_QUALITY = 75;

  /**
   * The stored JSON document.
   *
   * @param framesPerSecond the camera's recent frame rate
   * @param frames frames of this camera seen by this instance
   */
  public byte[] toJson(double framesPerSecond, long frames) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("camera_id", meta.cameraId());
    n.put("vehicle_id", meta.vehicleId());
    n.put("frame_id", meta.frameId());
    n.put("frame_seq", meta.frameSeq());
    n.put("capture_ts", meta.captureTs());
    n.put("latency_ms", Math.round(latencyMs * 10) / 10.0);
    n.put("frame_width", meta.width());
    n.put("frame_height", meta.height());
    n.put("model", perception.model().id());
    n.put("fps", Math.round(framesPerSecond * 100) / 100.0);
    n.put("frames", frames);
    ObjectNode tags = n.putObject("tags");
    tag(tags, "weather", perception.weather());
    tag(tags, "timeofday", perception.timeofday());
    tag(tags, "scene", perception.scene());
    if (perception.oodScore() != null) {
      ObjectNode ood = n.putObject("ood");
      ood.put("score", Math.round(perception.oodScore() * 1000) / 1000.0);
      ood.put("threshold", oodThreshold);
      ood.put("unsure", perception.unsure(oodThreshold));
    }
    ArrayNode dets = n.putArray("detections");
    if (perception.detections() != null) {
      for (DetectedObject d : perception.detections()) {
        ObjectNode o = dets.addObject();
        o.put("class", d.category());
        o.put("score", Math.round(d.score() * 1000) / 1000.0);
        o.putArray("box")
            .add(round(d.box().x1()))
            .add(round(d.box().y1()))
            .add(round(d.box().x2()))
            .add(round(d.box().y2()));
      }
    }
    ArrayNode tr = n.putArray("tracks");
    for (Track t : tracks) {
      if (t.getState() == TrackState.TENTATIVE) {
        continue;
      }
      ObjectNode o = tr.addObject();
      o.put("id", t.getTrackId());
      o.put("class", t.getCategory());
      o.put("state", t.getState().name());
      o.put("score", Math.round(t.getScore() * 1000) / 1000.0);
      o.putArray("box")
          .add(round(t.getBox().getX1()))
          .add(round(t.getBox().getY1()))
          .add(round(t.getBox().getX2()))
          .add(round(t.getBox().getY2()));
    }
    if (perception.segmentation() != null) {
      Perception.Segmentation seg = perception.segmentation();
      Letterbox lb = seg.letterbox();
      int w = Math.min(seg.width(), lb.srcWidth());
      int h = Math.max(1, (int) Math.round(w * (double) lb.srcHeight() / lb.srcWidth()));
      ObjectNode m = n.putObject("mask");
      m.put("width", w);
      m.put("height", h);
      ArrayNode classes = m.putArray("classes");
      Head.SEGMENTATION.labels().forEach(classes::add);
      m.put("data", Base64.getEncoder().encodeToString(seg.toFrameGrid(w, h)));
    }
    Letterbox lb = decoded.letterbox();
    ObjectNode t = n.putObject("thumbnail");
    t.put("width", lb.width());
    t.put("height", lb.height());
    t.put("jpeg", Base64.getEncoder().encodeToString(thumbnail(decoded)));
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void tag(ObjectNode tags, String name, Perception.Attribute a) {
    if (a != null) {
      ObjectNode o = tags.putObject(name);
      o.put("label", a.label());
      o.put("score", Math.round(a.probability() * 1000) / 1000.0);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** The model input without its letterbox padding, as a JPEG (RGB input, BGR for OpenCV). */
  static byte[] thumbnail(FrameDecoder.Decoded d) {
    Letterbox lb = d.letterbox();
    byte[] bgr = new byte[lb.width() * lb.height() * 3];
    int o = 0;
    for (int y = 0; y < lb.height(); y++) {
      int i = ((y + lb.padY()) * lb.dstWidth() + lb.padX()) * 3;
      for (int x = 0; x < lb.width(); x++, i += 3) {
        bgr[o++] = d.rgb()[i + 2];
        bgr[o++] = d.rgb()[i + 1];
        bgr[o++] = d.rgb()[i];
      }
    }
    return ImageEncoder.jpeg(bgr, lb.width(), lb.height(), THUMBNAIL_QUALITY);
  }
}
