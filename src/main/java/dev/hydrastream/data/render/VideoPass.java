package dev.hydrastream.data.render;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Tells the scene builder which part of a video frame it is building and how things move; the
 * dataset path has none and builds whole scenes as before.
 *
 * <p>A video frame is built in passes, each with its own random stream so that a pass draws the
 * same numbers in every frame whatever the camera position:
 *
 * <ul>
 *   <li>{@link Kind#SECTION}: the static roadside of one road section (road, markings, buildings,
 *       lamps, parked cars, walkers), in section-local depth; the camera is posed to look at it
 *       from where the ego is now.
 *   <li>{@link Kind#ANCHORED}: what stays at the same distance while driving (skyline, a store at
 *       the end of a parking lot, a tunnel's exit), in camera depth.
 *   <li>{@link Kind#TRAFFIC}: vehicles in lanes, in camera depth, moved by their speed relative to
 *       the ego and wrapped around a window so traffic never runs out.
 * </ul>
 */
final class VideoPass {

  /** The part of the frame a pass builds. */
  enum Kind {
    SECTION,
    ANCHORED,
    TRAFFIC
  }

  /** Traffic that leaves this camera-depth window on one side re-enters on the other. */
  static final double TRAFFIC_BEHIND = -40;

  static final double TRAFFIC_AHEAD = 160;

  final Kind kind;

  /** Seconds since the clip started. */
  final double time;

  /** Clip-wide road layout (sidewalk width, parking aisles, ...), identical for every section. */
  final Rng layout;

  /** Section index (SECTION only), for things that occur once per clip, like a gas station. */
  final long section;

  /** Speed of each lane in m/s relative to the ego (negative: coming closer). */
  final double[] laneSpeed;

  /**
   * Laps of the traffic window each vehicle placed so far has run, by the first object id of the
   * vehicle: one that wraps around the window is another vehicle for ground truth.
   */
  final NavigableMap<Integer, Long> laps = new TreeMap<>();

  VideoPass(Kind kind, double time, Rng layout, long section, double[] laneSpeed) {
    this.kind = kind;
    this.time = time;
    this.layout = layout;
    this.section = section;
    this.laneSpeed = laneSpeed;
  }

  /** Camera depth of a vehicle that started at {@code z0} in {@code lane}, at this pass's time. */
  double vehicleDepth(int lane, double z0, int objectId) {
    double v = laneSpeed[lane];
    if (v == 0) {
      // the ego's own lane: the lead vehicle keeps its distance, breathing a little
      laps.put(objectId, 0L);
      double phase = (Rng.mix(objectId) & 1023) / 1023.0 * 2 * Math.PI;
      return z0 + 1.5 * Math.sin(0.35 * time + phase);
    }
    double span = TRAFFIC_AHEAD - TRAFFIC_BEHIND;
    double z = z0 + v * time - TRAFFIC_BEHIND;
    long lap = (long) Math.floor(z / span);
    laps.put(objectId, lap);
    return TRAFFIC_BEHIND + z - lap * span;
  }

  /** Section-local depth of a walker that started at {@code z0}, walking along the road. */
  double walkerDepth(double z0, int objectId) {
    long h = Rng.mix(section * 0x9E3779B97F4A7C15L + objectId);
    double dir = (h & 1) == 0 ? 1 : -1;
    double speed = 1.0 + ((h >>> 8) & 1023) / 1023.0 * 0.6;
    return z0 + dir * speed * time;
  }
}
