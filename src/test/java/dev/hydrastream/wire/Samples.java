package dev.hydrastream.wire;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.ImageFormat;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.topics.ResultRecords;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A hand-made frame and model result, and every record built from them.
 *
 * <p>The frame is 1280x720, letterboxed into a 384x224 model input: scale 0.3, scaled frame
 * 384x216, 4 rows of padding above and below. The segmentation mask is 192x112 (one cell per 2x2
 * input pixels); its cells in the padding hold "lane marking" so that leaking padding shows. In
 * frame pixels the scene is: background above y=300; below it drivable direct left of x=640 and
 * drivable alternative right of it; a lane marking at x in [200, 264) below y=500.
 */
public final class Samples {

  public static final int FRAME_W = 1280;
  public static final int FRAME_H = 720;
  public static final Letterbox LETTERBOX = Letterbox.of(FRAME_W, FRAME_H, 384, 224);
  public static final int MASK_W = 192;
  public static final int MASK_H = 112;

  public static final FrameMeta META =
      FrameMeta.of("cam-1", "veh-9", 42, 1_700_000_000_123L, FRAME_W, FRAME_H);
  public static final FrameMeta META_NO_VEHICLE =
      FrameMeta.of("cam-2", null, 7, 1_700_000_000_999L, FRAME_W, FRAME_H);
  public static final double LATENCY_MS = 37.5;

  /** The out-of-distribution score of {@link #result()} (a frame unlike the training data). */
  public static final double OOD_SCORE = 3.25;

  private Samples() {}

  /** The class at a frame pixel of the scene described above. */
  public static int sceneClass(double x, double y) {
    if (y < 300) {
      return 0;
    }
    if (y >= 500 && x >= 200 && x < 264) {
      return 3;
    }
    return x < 640 ? 1 : 2;
  }

  /** The scene on the model's mask grid, padding included. */
  public static Perception.Segmentation segmentation() {
    byte[] mask = new byte[MASK_W * MASK_H];
    double cell = LETTERBOX.dstWidth() / (double) MASK_W;
    for (int gy = 0; gy < MASK_H; gy++) {
      for (int gx = 0; gx < MASK_W; gx++) {
        double ix = (gx + 0.5) * cell;
        double iy = (gy + 0.5) * cell;
        boolean padding = iy < LETTERBOX.padY() || iy >= LETTERBOX.padY() + LETTERBOX.height();
        mask[gy * MASK_W + gx] =
            (byte) (padding ? 3 : sceneClass(LETTERBOX.toFrameX(ix), LETTERBOX.toFrameY(iy)));
      }
    }
    return new Perception.Segmentation(mask, MASK_W, MASK_H, LETTERBOX);
  }

  public static Perception.Attribute attribute(List<String> labels, int best) {
    Map<String, Double> p = new LinkedHashMap<>();
    double rest = 0.3 / (labels.size() - 1);
    for (int i = 0; i < labels.size(); i++) {
      p.put(labels.get(i), i == best ? 0.7 : rest);
    }
    return new Perception.Attribute(labels.get(best), 0.7, p);
  }

  public static List<DetectedObject> detections() {
    return List.of(
        new DetectedObject("car", new Box(100.5, 200.25, 300, 400), 0.9),
        new DetectedObject("traffic sign", new Box(1000, 50, 1040, 90), 0.45),
        new DetectedObject("pedestrian", new Box(0, 0, 1279, 719), 0.31));
  }

  /** A result with every head and an out-of-distribution score. */
  public static Perception result() {
    return new Perception(
        attribute(Head.WEATHER.labels(), 3),
        attribute(Head.TIMEOFDAY.labels(), 2),
        attribute(Head.SCENE.labels(), 1),
        detections(),
        segmentation(),
        new ModelIdentity("hydranet", "1.2.0", "ab".repeat(32)),
        OOD_SCORE);
  }

  /** A result of a detection-only model (without an out-of-distribution output). */
  public static Perception detectionOnly() {
    return new Perception(null, null, null, detections(), null, ModelIdentity.of("detnet", "0.1"));
  }

  public static CameraFrame frame(String vehicle) {
    return CameraFrame.newBuilder()
        .setCameraId("cam-1")
        .setVehicleId(vehicle)
        .setFrameSeq(42)
        .setCaptureTs(Instant.ofEpochMilli(1_700_000_000_123L))
        .setFormat(ImageFormat.PNG)
        .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF, 7}))
        .build();
  }

  /**
   * One of each record type, with and without the nullable parts (the fused record with and without
   * {@code ood_score}).
   */
  public static List<SpecificRecord> records() {
    List<SpecificRecord> out = new ArrayList<>();
    out.add(frame("veh-9"));
    out.add(frame(null));
    ResultRecords.Outputs all = ResultRecords.all(META, result(), LATENCY_MS);
    out.add(all.classification());
    out.add(all.scene());
    out.add(all.detections());
    out.add(all.segmentation());
    out.add(all.fused());
    ResultRecords.Outputs partial = ResultRecords.all(META_NO_VEHICLE, detectionOnly(), 3.0);
    out.add(partial.detections());
    out.add(partial.fused());
    return out;
  }
}
