package dev.hydrastream.testing;

import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.Gear;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SegmentationMask;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.spec.Head;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Crafted perception results and telemetry for the event and rule tests: 1280x720 frames whose
 * segmentation puts the ego drivable area in the middle third of the lower half (rows below the
 * nominal horizon), so a box there is "in our lane" and a box at the side is not.
 */
public final class Perceptions {

  public static final int WIDTH = 1280;
  public static final int HEIGHT = 720;
  private static final int MW = 192;
  private static final int MH = 108;

  private Perceptions() {}

  /** A mask with (or without) the ego lane: class 1 in columns 64..127 from row 56 down. */
  public static SegmentationMask mask(boolean egoLane) {
    byte[] px = new byte[MW * MH];
    for (int y = 56; y < MH; y++) {
      for (int x = 0; x < MW; x++) {
        boolean centre = x >= 64 && x < 128;
        px[y * MW + x] = (byte) (centre && egoLane ? 1 : centre ? 2 : 0);
      }
    }
    return SegmentationMask.newBuilder()
        .setClasses(Head.SEGMENTATION.labels())
        .setWidth(MW)
        .setHeight(MH)
        .setPng(ByteBuffer.wrap(ImageEncoder.grayPng(px, MW, MH)))
        .setClassAreas(Map.of())
        .build();
  }

  /** A detection with a box in frame pixels. */
  public static Detection det(
      String category, float score, float x1, float y1, float x2, float y2) {
    return Detection.newBuilder()
        .setCategory(category)
        .setClassId(Head.DETECTION.indexOf(category))
        .setScore(score)
        .setBox(Box2d.newBuilder().setX1(x1).setY1(y1).setX2(x2).setY2(y2).build())
        .build();
  }

  /** A pedestrian standing in our lane, about 5 m ahead. */
  public static Detection pedestrianInPath() {
    return det("pedestrian", 0.8f, 600, 420, 660, 600);
  }

  /** A pedestrian on the left sidewalk, as near. */
  public static Detection pedestrianAside() {
    return det("pedestrian", 0.8f, 100, 420, 160, 600);
  }

  /** A car ahead in our lane whose bottom edge says about {@code metres} away. */
  public static Detection carAhead(double metres) {
    float y2 = (float) (0.47 * HEIGHT + 0.72 * WIDTH * 1.45 / metres);
    return det("car", 0.9f, 560, y2 - 120, 720, y2);
  }

  /** The track of {@code d}'s object in {@code state}, {@code age} frames old, its box growing. */
  public static Track track(long id, Detection d, TrackState state, int age, float scaleRate) {
    return Track.newBuilder()
        .setTrackId(id)
        .setCategory(d.getCategory())
        .setClassId(d.getClassId())
        .setState(state)
        .setScore(d.getScore())
        .setBox(d.getBox())
        .setAgeFrames(age)
        .setHits(age)
        .setMisses(0)
        .setVelocityX(0)
        .setVelocityY(0)
        .setScaleRate(scaleRate)
        .build();
  }

  private static AttributePrediction attr(String label) {
    return AttributePrediction.newBuilder()
        .setLabel(label)
        .setScore(0.9f)
        .setScores(Map.of(label, 0.9f))
        .build();
  }

  /** A fused frame result. */
  public static PerceptionFrame frame(
      String camera,
      String vehicle,
      long seq,
      long captureTs,
      String weather,
      String timeofday,
      boolean egoLane,
      Detection... detections) {
    return PerceptionFrame.newBuilder()
        .setFrameId(camera + ":" + seq)
        .setCameraId(camera)
        .setVehicleId(vehicle)
        .setFrameSeq(seq)
        .setCaptureTs(Instant.ofEpochMilli(captureTs))
        .setFrameWidth(WIDTH)
        .setFrameHeight(HEIGHT)
        .setModel("test@1")
        .setLatencyMs(50)
        .setWeather(attr(weather))
        .setTimeofday(attr(timeofday))
        .setScene(attr("city street"))
        .setDetections(List.of(detections))
        .setSegmentation(mask(egoLane))
        .build();
  }

  /** A clear daytime frame with the ego lane found. */
  public static PerceptionFrame frame(
      String camera, String vehicle, long seq, long captureTs, Detection... detections) {
    return frame(camera, vehicle, seq, captureTs, "clear", "daytime", true, detections);
  }

  /** Telemetry of a vehicle driving straight north. */
  public static VehicleTelemetry telemetry(
      String vehicle, long ts, double speedMps, double accelerationMps2) {
    return VehicleTelemetry.newBuilder()
        .setVehicleId(vehicle)
        .setTimestamp(Instant.ofEpochMilli(ts))
        .setSpeedMps(speedMps)
        .setAccelerationMps2(accelerationMps2)
        .setYawRateDps(0)
        .setLatitude(48.137)
        .setLongitude(11.575)
        .setHeadingDeg(0)
        .setBrake(accelerationMps2 < -1 ? Math.min(1, -accelerationMps2 / 8) : 0)
        .setSteeringAngleDeg(0)
        .setGear(Gear.DRIVE)
        .build();
  }
}
