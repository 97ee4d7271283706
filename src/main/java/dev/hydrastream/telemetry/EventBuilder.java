package dev.hydrastream.telemetry;

import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.EgoLane;
import dev.hydrastream.schema.EgoObject;
import dev.hydrastream.schema.EgoTrack;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SegmentationMask;
import dev.hydrastream.schema.TelemetryStatus;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.schema.VisibilityLevel;
import dev.hydrastream.spec.Taxonomy;
import dev.hydrastream.spec.Visibility;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Turns a frame's perception into the perception part of an event (what is on the ego drivable
 * area, what is nearest ahead, how well the camera sees), and completes an event with the vehicle
 * state that was valid at the frame's capture time. Plain logic: no Kafka.
 *
 * <p>An object is on the ego drivable area when at least {@link #MIN_OVERLAP} of its footprint (a
 * band around the bottom edge of its box, where it touches the road) is segmented as the ego's
 * drivable area. Its distance comes from the row of that bottom edge under a level road and a
 * nominal dash camera ({@link #FOCAL_RATIO}, {@link #HORIZON_RATIO}, {@link #CAMERA_HEIGHT_M}): a
 * rough figure that ranks objects by nearness, not a calibrated range.
 */
public final class EventBuilder {

  /** Fraction of a box's footprint on the ego drivable area to count it as on the ego lane. */
  public static final double MIN_OVERLAP = 0.25;

  /** Fraction of the frame's lower half that must be ego drivable area for the lane to count. */
  public static final double MIN_EGO_AREA = 0.02;

  /** Nominal focal length as a fraction of the frame width. */
  public static final double FOCAL_RATIO = 0.72;

  /** Nominal horizon row as a fraction of the frame height. */
  public static final double HORIZON_RATIO = 0.47;

  /** Nominal camera mounting height in metres. */
  public static final double CAMERA_HEIGHT_M = 1.45;

  /** Distance reported for a box whose bottom edge is at or above the horizon. */
  public static final float FAR_M = 500f;

  private EventBuilder() {}

  /**
   * The event of {@code frame} before the join: perception summary filled, telemetry {@code
   * MISSING}.
   *
   * @param vehicleId the frame's vehicle (resolved by the caller), or null
   */
  public static PerceptionEvent perceive(PerceptionFrame frame, String vehicleId) {
    Mask mask = Mask.of(frame.getSegmentation(), frame.getFrameWidth(), frame.getFrameHeight());
    List<EgoObject> onLane = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (Detection d : frame.getDetections()) {
      counts.merge(d.getCategory(), 1, Integer::sum);
      if (mask == null) {
        continue;
      }
      double overlap = mask.footprintOverlap(d.getBox());
      if (overlap >= MIN_OVERLAP) {
        onLane.add(
            EgoObject.newBuilder()
                .setCategory(d.getCategory())
                .setScore(d.getScore())
                .setBox(d.getBox())
                .setOverlap((float) overlap)
                .setDistanceM(distance(d.getBox(), frame.getFrameWidth(), frame.getFrameHeight()))
                .build());
      }
    }
    onLane.sort(Comparator.comparingDouble(EgoObject::getDistanceM));
    List<EgoTrack> tracksOnLane = mask == null ? List.of() : egoTracks(frame, mask);
    float area = mask == null ? 0f : (float) mask.egoAreaLowerHalf();
    String weather = label(frame.getWeather());
    String timeofday = label(frame.getTimeofday());
    return PerceptionEvent.newBuilder()
        .setFrameId(frame.getFrameId())
        .setCameraId(frame.getCameraId())
        .setVehicleId(vehicleId)
        .setFrameSeq(frame.getFrameSeq())
        .setCaptureTs(frame.getCaptureTs())
        .setFrameWidth(frame.getFrameWidth())
        .setFrameHeight(frame.getFrameHeight())
        .setModel(frame.getModel())
        .setLatencyMs(frame.getLatencyMs())
        .setTelemetryStatus(
            vehicleId == null ? TelemetryStatus.NO_VEHICLE : TelemetryStatus.MISSING)
        .setVisibility(
            dev.hydrastream.schema.Visibility.newBuilder()
                .setLevel(VisibilityLevel.valueOf(Visibility.of(weather, timeofday).name()))
                .setWeather(weather)
                .setWeatherScore(score(frame.getWeather()))
                .setTimeofday(timeofday)
                .setTimeofdayScore(score(frame.getTimeofday()))
                .setScene(label(frame.getScene()))
                .build())
        .setEgoLane(EgoLane.newBuilder().setFound(area >= MIN_EGO_AREA).setArea(area).build())
        .setEgoLaneObjects(onLane)
        .setNearestAhead(onLane.isEmpty() ? null : onLane.get(0))
        .setObjectCounts(new java.util.LinkedHashMap<>(counts))
        .setEgoLaneTracks(tracksOnLane)
        .build();
  }

  /**
   * The frame's confirmed tracks (matched in this frame) on the ego drivable area, with their time
   * to contact: a box whose height h grows at dh/dt belongs to an object at distance Z closing at
   * -dZ/dt, and h/(dh/dt) = Z/(-dZ/dt) is the time until contact at the current closing speed,
   * whatever the camera's calibration. Soonest contact first, then nearest.
   */
  private static List<EgoTrack> egoTracks(PerceptionFrame frame, Mask mask) {
    List<EgoTrack> out = new ArrayList<>();
    for (Track t : frame.getTracks()) {
      if (t.getState() != TrackState.CONFIRMED) {
        continue;
      }
      double overlap = mask.footprintOverlap(t.getBox());
      if (overlap < MIN_OVERLAP) {
        continue;
      }
      float rate = t.getScaleRate();
      out.add(
          EgoTrack.newBuilder()
              .setTrackId(t.getTrackId())
              .setCategory(t.getCategory())
              .setBox(t.getBox())
              .setAgeFrames(t.getAgeFrames())
              .setOverlap((float) overlap)
              .setDistanceM(distance(t.getBox(), frame.getFrameWidth(), frame.getFrameHeight()))
              .setScaleRate(rate)
              .setTtcS(rate > 0 ? 1f / rate : null)
              .build());
    }
    out.sort(
        Comparator.comparingDouble(
                (EgoTrack t) -> t.getTtcS() == null ? Float.MAX_VALUE : t.getTtcS())
            .thenComparingDouble(EgoTrack::getDistanceM));
    return out;
  }

  /**
   * Completes {@code event} (in place) with the vehicle state looked up as of its capture time.
   *
   * @param telemetry the latest telemetry at or before the capture time, or null
   * @param maxStalenessMs older telemetry is not joined: the event says {@code STALE}
   * @param nowMillis wall-clock time of the join, for the event's latency
   */
  public static PerceptionEvent join(
      PerceptionEvent event, VehicleTelemetry telemetry, long maxStalenessMs, long nowMillis) {
    long capture = event.getCaptureTs().toEpochMilli();
    event.setLatencyMs(Math.max(0, nowMillis - capture));
    event.setTelemetry(null);
    event.setTelemetryAgeMs(null);
    if (event.getVehicleId() == null) {
      event.setTelemetryStatus(TelemetryStatus.NO_VEHICLE);
      return event;
    }
    if (telemetry == null) {
      event.setTelemetryStatus(TelemetryStatus.MISSING);
      return event;
    }
    long age = capture - telemetry.getTimestamp().toEpochMilli();
    event.setTelemetryAgeMs(age);
    if (age > maxStalenessMs) {
      event.setTelemetryStatus(TelemetryStatus.STALE);
    } else {
      event.setTelemetryStatus(TelemetryStatus.OK);
      event.setTelemetry(telemetry);
    }
    return event;
  }

  /** Rough distance to the road point under a box's bottom edge (see the class comment). */
  static float distance(Box2d box, int frameWidth, int frameHeight) {
    double below = box.getY2() - HORIZON_RATIO * frameHeight;
    if (below < 1) {
      return FAR_M;
    }
    return (float) Math.min(FAR_M, FOCAL_RATIO * frameWidth * CAMERA_HEIGHT_M / below);
  }

  private static String label(dev.hydrastream.schema.AttributePrediction p) {
    return p == null ? null : p.getLabel();
  }

  private static float score(dev.hydrastream.schema.AttributePrediction p) {
    return p == null ? 0f : p.getScore();
  }

  /** The ego drivable area of a segmentation mask, on the mask's grid. */
  private record Mask(boolean[] ego, int width, int height, double sx, double sy) {

    /** The mask's ego pixels, or null without segmentation or without an ego class. */
    static Mask of(SegmentationMask m, int frameWidth, int frameHeight) {
      if (m == null) {
        return null;
      }
      int egoClass = m.getClasses().indexOf(Taxonomy.EGO_DRIVABLE);
      if (egoClass < 0) {
        return null;
      }
      BufferedImage img;
      try {
        ByteBuffer png = m.getPng().duplicate();
        byte[] bytes = new byte[png.remaining()];
        png.get(bytes);
        img = ImageIO.read(new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        img = null;
      }
      if (img == null) {
        return null;
      }
      int w = img.getWidth();
      int h = img.getHeight();
      Raster r = img.getRaster();
      int[] px = r.getSamples(0, 0, w, h, 0, new int[w * h]);
      boolean[] ego = new boolean[w * h];
      for (int i = 0; i < px.length; i++) {
        ego[i] = px[i] == egoClass;
      }
      return new Mask(ego, w, h, (double) w / frameWidth, (double) h / frameHeight);
    }

    /** Fraction of the lower half of the frame that is ego drivable area. */
    double egoAreaLowerHalf() {
      int from = height / 2;
      int n = 0;
      for (int i = from * width; i < ego.length; i++) {
        n += ego[i] ? 1 : 0;
      }
      int total = (height - from) * width;
      return total == 0 ? 0 : (double) n / total;
    }

    /**
     * Fraction of the footprint of {@code box} on the ego area: mask cells from 10% of the box
     * height above its bottom edge to 10% below it (at least one cell each way), across its width.
     */
    double footprintOverlap(Box2d box) {
      double bh = Math.max(1, box.getY2() - box.getY1());
      int x0 = clamp((int) Math.floor(box.getX1() * sx), width);
      int x1 = clamp((int) Math.floor(box.getX2() * sx), width);
      int bottom = (int) Math.floor(box.getY2() * sy);
      int reach = Math.max(1, (int) Math.round(0.1 * bh * sy));
      int y0 = clamp(bottom - reach, height);
      int y1 = clamp(bottom + reach, height);
      int n = 0;
      int on = 0;
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          n++;
          on += ego[y * width + x] ? 1 : 0;
        }
      }
      return n == 0 ? 0 : (double) on / n;
    }

    private static int clamp(int v, int size) {
      return Math.max(0, Math.min(size - 1, v));
    }
  }
}
