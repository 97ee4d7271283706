package dev.hydrastream.spec;

import java.util.List;
import java.util.Map;

/**
 * Everything the network says about one frame, in frame coordinates. A head the model does not have
 * is null.
 *
 * @param weather weather attribute
 * @param timeofday time of day attribute
 * @param scene scene type
 * @param detections boxes in frame pixels (inclusive), best first
 * @param segmentation class mask on the model's segmentation grid
 * @param model the model that produced this result (name, version, SHA-256 of its graph): the
 *     lineage of every record built from it
 * @param oodScore how unlike the model's training frames this frame is (the model's
 *     out-of-distribution output: 1 is the 95th percentile of the training frames, higher is less
 *     like them); null when the model has no such output
 */
public record Perception(
    Attribute weather,
    Attribute timeofday,
    Attribute scene,
    List<DetectedObject> detections,
    Segmentation segmentation,
    ModelIdentity model,
    Double oodScore) {

  /** A result without an out-of-distribution score (a model without that output). */
  public Perception(
      Attribute weather,
      Attribute timeofday,
      Attribute scene,
      List<DetectedObject> detections,
      Segmentation segmentation,
      ModelIdentity model) {
    this(weather, timeofday, scene, detections, segmentation, model, null);
  }

  /**
   * Whether the model is unsure of this frame: its OOD score is above {@code threshold} (the card's
   * {@link ModelCard#oodThreshold()}). False without a score.
   */
  public boolean unsure(double threshold) {
    return oodScore != null && oodScore > threshold;
  }

  /** The attribute of an image-level head ({@link Head#isAttribute()}), or null. */
  public Attribute attribute(Head head) {
    return switch (head) {
      case WEATHER -> weather;
      case TIMEOFDAY -> timeofday;
      case SCENE -> scene;
      default -> throw new IllegalArgumentException(head + " is not an image attribute");
    };
  }

  /** A classified attribute: the top label, its probability and all probabilities. */
  public record Attribute(String label, double probability, Map<String, Double> probabilities) {}

  /**
   * A class-id mask ({@link Head#SEGMENTATION} label order) on the model grid, with the letterbox
   * that relates it to the frame.
   */
  public record Segmentation(byte[] mask, int width, int height, Letterbox letterbox) {

    /** Grid cell of a frame pixel (continuous coordinates). */
    public int classAtFrame(double x, double y) {
      double sx = letterbox.dstWidth() / (double) width;
      double sy = letterbox.dstHeight() / (double) height;
      int gx = (int) Math.floor(letterbox.toInputX(x) / sx);
      int gy = (int) Math.floor(letterbox.toInputY(y) / sy);
      gx = Math.max(0, Math.min(width - 1, gx));
      gy = Math.max(0, Math.min(height - 1, gy));
      return mask[gy * width + gx] & 255;
    }

    /**
     * The mask resampled to a {@code w x h} frame-aligned grid (nearest), e.g. the frame size or a
     * reduced size for publishing.
     */
    public byte[] toFrameGrid(int w, int h) {
      byte[] out = new byte[w * h];
      double fx = letterbox.srcWidth() / (double) w;
      double fy = letterbox.srcHeight() / (double) h;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) classAtFrame((x + 0.5) * fx, (y + 0.5) * fy);
        }
      }
      return out;
    }

    /** Fraction of the frame covered by each class. */
    public double[] classAreas() {
      int gw = 160;
      int gh =
          Math.max(1, (int) Math.round(gw * letterbox.srcHeight() / (double) letterbox.srcWidth()));
      byte[] grid = toFrameGrid(gw, gh);
      double[] area = new double[Head.SEGMENTATION.labels().size()];
      for (byte b : grid) {
        int c = b & 255;
        if (c < area.length) {
          area[c] += 1.0 / grid.length;
        }
      }
      return area;
    }
  }
}
