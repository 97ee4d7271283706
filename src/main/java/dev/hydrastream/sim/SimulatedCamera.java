package dev.hydrastream.sim;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.render.VideoRenderer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One simulated camera on one vehicle: renders synthetic dash-cam video, deterministically from its
 * seed. Frame {@code seq} shows the scene {@code seq / fps} seconds after the camera started:
 * consecutive frames show the same scene evolving (the vehicle drives on, traffic and walkers
 * move); every {@code clipSeconds} a new clip with a new scene (type, weather, time of day) starts.
 * Nothing depends on the wall clock, so frame {@code seq} of a camera with a given seed and size is
 * always the same JPEG bytes, whichever thread renders it and in whatever order.
 *
 * <p>Thread-safe; frames are rendered one at a time per camera (it owns one canvas and one encoder
 * buffer). Close it to free the native encoder buffers.
 */
public final class SimulatedCamera implements AutoCloseable {

  public static final double DEFAULT_CLIP_SECONDS = 20;
  public static final int DEFAULT_JPEG_QUALITY = 85;

  private final String cameraId;
  private final String vehicleId;
  private final long seed;
  private final int width;
  private final int height;
  private final double fps;
  private final double clipSeconds;
  private final long startEpochMs;
  private final VideoRenderer renderer;
  private final byte[] bgr;
  private final Mat mat;
  private final IntPointer params;
  private final BytePointer encoded = new BytePointer();
  private volatile Motion lastMotion;
  private boolean closed;

  /**
   * A camera with 20 s clips, JPEG quality 85 and capture times counted from epoch 0 (fully
   * deterministic; the live fleet gives its cameras the wall-clock start).
   */
  public SimulatedCamera(
      String cameraId, String vehicleId, long seed, int width, int height, double fps) {
    this(
        cameraId,
        vehicleId,
        seed,
        width,
        height,
        fps,
        DEFAULT_CLIP_SECONDS,
        DEFAULT_JPEG_QUALITY,
        0);
  }

  /**
   * @param clipSeconds length of one clip (one scene)
   * @param jpegQuality JPEG quality, 1..100
   * @param startEpochMs capture time of frame 0, epoch milliseconds
   */
  public SimulatedCamera(
      String cameraId,
      String vehicleId,
      long seed,
      int width,
      int height,
      double fps,
      double clipSeconds,
      int jpegQuality,
      long startEpochMs) {
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    if (!(clipSeconds > 0) || Double.isInfinite(clipSeconds)) {
      throw new IllegalArgumentException("clip length must be positive, got " + clipSeconds);
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be within 1..100, got " + jpegQuality);
    }
    this.renderer = new VideoRenderer(width, height);
    this.cameraId = cameraId;
    this.vehicleId = vehicleId;
    this.seed = seed;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.clipSeconds = clipSeconds;
    this.startEpochMs = startEpochMs;
    this.bgr = new byte[width * height * 3];
    this.mat = new Mat(height, width, opencv_core.CV_8UC3);
    this.params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality);
  }

  /** Renders and encodes frame {@code seq} (>= 0). */
  public synchronized SimFrame frame(long seq) {
    return render(seq, null);
  }

  /**
   * Frame {@code seq} and the objects it shows, with identities that hold for the whole clip (see
   * {@link VideoRenderer#render(long, double, byte[], List)}): ground truth for tracking. The frame
   * is the same as {@link #frame}'s.
   *
   * @param frame the frame
   * @param objects the label of every object visible in it
   */
  public record Labelled(SimFrame frame, List<DetLabel> objects) {}

  /** Renders and encodes frame {@code seq} (>= 0) and reads back the objects it shows. */
  public synchronized Labelled labelledFrame(long seq) {
    List<DetLabel> objects = new ArrayList<>();
    return new Labelled(render(seq, objects), List.copyOf(objects));
  }

  private SimFrame render(long seq, List<DetLabel> objects) {
    if (closed) {
      throw new IllegalStateException("camera " + cameraId + " is closed");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("frame number must be >= 0, got " + seq);
    }
    long clip = clipOf(seq);
    double time = seq / fps - clip * clipSeconds;
    long clipSeed = clipSeed(clip);
    VideoRenderer.Clip info = renderer.render(clipSeed, time, bgr, objects);
    mat.data().put(bgr);
    if (!opencv_imgcodecs.imencode(".jpg", mat, encoded, params)) {
      throw new IllegalStateException("OpenCV could not encode frame " + seq + " of " + cameraId);
    }
    byte[] jpeg = new byte[(int) encoded.limit()];
    encoded.get(jpeg);
    return new SimFrame(
        cameraId,
        vehicleId,
        seq,
        captureTs(seq),
        jpeg,
        width,
        height,
        new SimFrame.Truth(
            clip,
            info.scene(),
            info.weather(),
            info.timeofday(),
            info.egoSpeed(),
            renderer.nearestAhead()));
  }

  /**
   * How the vehicle moves at {@code epochMs} (at or after the camera's start): the speed and road
   * curvature of the clip shown then. Cheap (samples the clip's spec, renders nothing) and safe to
   * call while a frame renders.
   */
  public Motion motionAt(long epochMs) {
    double seconds = Math.max(0, epochMs - startEpochMs) / 1000.0;
    long clip = (long) Math.floor(seconds / clipSeconds);
    Motion last = lastMotion;
    if (last != null && last.clip() == clip) {
      return last; // telemetry asks many times per clip; sampling a clip's spec is not free
    }
    long clipSeed = clipSeed(clip);
    Motion m = new Motion(clip, renderer.clip(clipSeed).egoSpeed(), renderer.curvature(clipSeed));
    lastMotion = m;
    return m;
  }

  /**
   * The ego motion of one clip.
   *
   * @param clip clip number
   * @param speed ego speed in m/s
   * @param curvature road curvature in 1/m, positive bending left
   */
  public record Motion(long clip, double speed, double curvature) {}

  /** The clip (scene) frame {@code seq} belongs to. */
  public long clipOf(long seq) {
    return (long) Math.floor(seq / fps / clipSeconds);
  }

  /** Capture time of frame {@code seq}: start plus {@code seq * 1000 / fps}, epoch ms. */
  public long captureTs(long seq) {
    return startEpochMs + Math.round(seq * 1000 / fps);
  }

  /** The seed of a clip: its own independent scene. */
  private long clipSeed(long clip) {
    long z = seed * 0x9E3779B97F4A7C15L + clip + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public String cameraId() {
    return cameraId;
  }

  public String vehicleId() {
    return vehicleId;
  }

  public double fps() {
    return fps;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Frees the native encoder buffers; later {@link #frame} calls fail. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    mat.close();
    params.close();
    encoded.close();
  }
}
