package dev.hydrastream.wire;

import java.util.Objects;

/**
 * Identity and geometry of one input frame, carried from decoding to the result records (the common
 * fields of every output record, DESIGN.md "Topics and records").
 *
 * @param frameId {@code <camera>:<seq>}, see {@link #frameId(String, long)}
 * @param cameraId camera that captured the frame (the record key)
 * @param vehicleId vehicle carrying the camera, null when unknown
 * @param frameSeq per-camera sequence number
 * @param captureTs capture time, epoch milliseconds
 * @param width frame width in pixels
 * @param height frame height in pixels
 */
public record FrameMeta(
    String frameId,
    String cameraId,
    String vehicleId,
    long frameSeq,
    long captureTs,
    int width,
    int height) {

  public FrameMeta {
    Objects.requireNonNull(frameId, "frameId");
    Objects.requireNonNull(cameraId, "cameraId");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame size must be positive, got " + width + "x" + height);
    }
  }

  /** The meta of a frame, with its id derived by {@link #frameId(String, long)}. */
  public static FrameMeta of(
      String cameraId, String vehicleId, long frameSeq, long captureTs, int width, int height) {
    return new FrameMeta(
        frameId(cameraId, frameSeq), cameraId, vehicleId, frameSeq, captureTs, width, height);
  }

  /**
   * The frame id of sequence number {@code seq} of camera {@code camera}: {@code <camera>:<seq>}.
   */
  public static String frameId(String camera, long seq) {
    return camera + ":" + seq;
  }
}
