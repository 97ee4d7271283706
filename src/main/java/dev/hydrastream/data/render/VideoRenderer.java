package dev.hydrastream.data.render;

import dev.hydrastream.data.labels.DetLabel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders temporally coherent synthetic video: frame {@code t} seconds into the clip of {@code
 * clipSeed} shows the same scene as the frame before, seen from a little further along the road.
 * Scene type, weather, time of day, camera and road layout are fixed per clip; the ego drives at a
 * scene-typical speed, the roadside flows past and traffic and walkers move.
 *
 * <p>The world is cut into road sections of {@link #sectionLength} metres, each built by the same
 * {@link SceneBuilder} as dataset frames, from its own random stream (so a section looks the same
 * whenever it is in view), and seen through a camera posed at the ego's position; see {@link
 * VideoPass}. The effects are the dataset's ({@link Effects}) in their video precision. Unlike
 * {@link SceneRenderer} no masks are computed; boxes only on request, with an identity per object
 * that holds for the whole clip (multi-object tracking ground truth).
 *
 * <p>Not thread-safe: each thread needs its own instance (it reuses its canvas between frames).
 */
public final class VideoRenderer {

  /** Road sections behind the camera kept in view: walkers may wander this far from theirs. */
  private static final double BEHIND = 40;

  /** Object id slots: sections in view at once never share a slot, traffic has the last. */
  private static final int SLOTS = 8;

  private static final int SLOT_IDS = 7000;

  private final int width;
  private final int height;
  private final Labeller labeller;
  /*
   * Per clip: the canvas (its roll is the clip's) and the sky and terrain, which do not change
   * while the camera drives along (the camera keeps its height and attitude). Restoring them is a
   * copy instead of painting clouds again.
   */
  private long cachedClip;
  private Canvas canvas;
  private int[] backdropRgb;
  private int[] backdropIds;
  private double lastHorizon = Double.NaN;

  /** What a clip shows: for dashboards and tests. */
  public record Clip(String scene, String weather, String timeofday, double egoSpeed) {}

  public VideoRenderer(int width, int height) {
    SceneRenderer.checkSize(width, height);
    this.width = width;
    this.height = height;
    this.labeller = new Labeller(width, height);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The clip's scene, weather, time of day and ego speed (cheap: samples the spec only). */
  public Clip clip(long clipSeed) {
    SceneSpec spec = SceneSpec.sample(stream(clipSeed, 0, 0), width, height);
    return new Clip(
        spec.scene, spec.weather, spec.timeofday, egoSpeed(spec.scene, stream(clipSeed, 1, 0)));
  }

  /**
   * Renders the frame {@code time} seconds into the clip into {@code bgr}.
   *
   * @param bgr {@code width * height * 3} bytes, interleaved BGR (OpenCV order)
   * @return the clip's attributes
   */
  public Clip render(long clipSeed, double time, byte[] bgr) {
    return render(clipSeed, time, bgr, null);
  }

  /**
   * Renders the frame {@code time} seconds into the clip into {@code bgr} and, if {@code objects}
   * is not null, adds to it the label of every object the frame shows, read back from its pixels
   * like a dataset frame's ({@link Labeller}). A label's {@link DetLabel#id() id} is the object's
   * identity within the clip, the same in every frame that shows it: a roadside object is its road
   * section and its place in it, a vehicle in traffic also the lap of the traffic window it is on
   * (one that wraps around is another vehicle). Ids are large numbers; only equality matters.
   */
  public Clip render(long clipSeed, double time, byte[] bgr, List<DetLabel> objects) {
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException(
          "buffer holds "
              + bgr.length
              + " bytes, a "
              + width
              + "x"
              + height
              + " BGR frame needs "
              + width * height * 3);
    }
    SceneSpec spec = SceneSpec.sample(stream(clipSeed, 0, 0), width, height);
    Rng motion = stream(clipSeed, 1, 0);
    double speed = egoSpeed(spec.scene, motion);
    double[] laneSpeed = laneSpeeds(spec, motion, speed);
    double ego = speed * time;
    Camera cam = spec.camera;
    double curvature = spec.curvature;
    lastHorizon = cam.horizon;
    boolean fresh = canvas == null || cachedClip != clipSeed;
    if (fresh) {
      if (canvas != null) {
        canvas.dispose();
      }
      canvas = new Canvas(width, height, cam.roll, false, false);
      cachedClip = clipSeed;
    } else {
      canvas.reset();
    }
    Canvas canvas = this.canvas;
    Frame frame = new Frame(spec, canvas, clipSeed, time, laneSpeed);
    List<Item> items = new ArrayList<>();
    Map<Integer, Long> identity = new HashMap<>();

    // what keeps its distance: sky, hills, skyline, hood (and a tunnel's exit) -- built first,
    // since the tunnel's exit bounds the sections
    cam.pose(0, curvature, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    SceneBuild anchored = frame.build(VideoPass.Kind.ANCHORED, -1, Canvas.FIRST_OBJECT);
    keep(anchored.items, items, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    identify(anchored, Canvas.FIRST_OBJECT, ANCHORED_KEY, identity);
    double far = spec.scene.equals("tunnel") ? spec.tunnelExit : viewDistance(spec.scene);

    // the roadside, section by section
    double length = sectionLength(spec.scene);
    List<SceneBuild> sections = new ArrayList<>();
    long first = (long) Math.floor((ego - BEHIND) / length);
    long last = (long) Math.floor((ego + far) / length);
    for (long k = first; k <= last; k++) {
      double shift = ego - k * length;
      double hi = Math.min(length, far + shift);
      cam.pose(shift, curvature, 0, hi);
      canvas.depthShift = shift;
      int slot = (int) Math.floorMod(k, (long) SLOTS);
      SceneBuild section =
          frame.build(VideoPass.Kind.SECTION, k, Canvas.FIRST_OBJECT + slot * SLOT_IDS);
      sections.add(section);
      keep(section.items, items, shift, 0, hi);
      identify(
          section,
          Canvas.FIRST_OBJECT + slot * SLOT_IDS,
          SECTION_KEY | ((k + HALF) << 16),
          identity);
    }

    // traffic, in camera depth
    cam.pose(0, curvature, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    canvas.depthShift = 0;
    SceneBuild traffic =
        frame.build(VideoPass.Kind.TRAFFIC, -1, Canvas.FIRST_OBJECT + SLOTS * SLOT_IDS);
    keep(traffic.items, items, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    for (Item it : traffic.items) {
      if (it.isObject()) {
        // the lap of the vehicle this object belongs to (a rider and their bike share one)
        Map.Entry<Integer, Long> lap = traffic.video.laps.floorEntry(it.objectId);
        long local = it.objectId - (Canvas.FIRST_OBJECT + SLOTS * SLOT_IDS);
        long laps = lap == null ? 0 : lap.getValue();
        identity.put(it.objectId, TRAFFIC_KEY | ((laps + HALF) << 16) | local);
      }
    }

    // draw: sky and terrain, each section's ground, then everything far to near
    if (fresh) {
      anchored.drawGround();
      backdropRgb = canvas.rgb.clone();
      backdropIds = canvas.ids.clone();
    } else {
      System.arraycopy(backdropRgb, 0, canvas.rgb, 0, backdropRgb.length);
      System.arraycopy(backdropIds, 0, canvas.ids, 0, backdropIds.length);
    }
    for (SceneBuild section : sections) {
      for (Item g : section.groundItems) {
        g.draw(canvas);
      }
    }
    // the frame's own stream makes rain and sensor noise change from frame to frame
    Effects effects =
        new Effects(
            spec,
            canvas,
            stream(clipSeed, 5, Double.doubleToLongBits(time)),
            stream(clipSeed, 6, 0),
            true);
    items.sort(Comparator.comparingDouble((Item i) -> -i.viewDepth()));
    for (Item item : items) {
      if (item.isObject()) {
        canvas.objectDepth(item.objectId, item.viewDepth());
      }
      item.draw(canvas);
      effects.emit(item);
    }
    anchored.drawForeground();
    if (objects != null) {
      objects.addAll(labels(canvas, items, identity));
    }

    // light, glows and weather, sensor
    effects.apply(items, bgr);
    return new Clip(spec.scene, spec.weather, spec.timeofday, speed);
  }

  /** Identity keys: the pass in the top bits, then section or lap, then the object's place. */
  private static final long SECTION_KEY = 1L << 50;

  private static final long TRAFFIC_KEY = 2L << 50;
  private static final long ANCHORED_KEY = 3L << 50;
  private static final long HALF = 1L << 20;

  /** Records the identity key of each object a pass built: {@code key} plus its place in it. */
  private static void identify(
      SceneBuild pass, int firstObject, long key, Map<Integer, Long> identity) {
    for (Item it : pass.items) {
      if (it.isObject()) {
        identity.put(it.objectId, key | (it.objectId - firstObject));
      }
    }
  }

  /** The labels of the objects drawn, their ids replaced by their identities. */
  private List<DetLabel> labels(Canvas canvas, List<Item> items, Map<Integer, Long> identity) {
    List<Labeller.Silhouette> silhouettes = new ArrayList<>();
    for (Item it : items) {
      if (it.isObject()) {
        silhouettes.add(labeller.silhouette(canvas, it));
      }
    }
    List<DetLabel> out = new ArrayList<>();
    for (DetLabel l : labeller.labels(canvas, silhouettes)) {
      out.add(
          new DetLabel(
              identity.get((int) l.id()),
              l.category(),
              l.box(),
              l.occluded(),
              l.truncated(),
              l.trafficLightColor()));
    }
    return out;
  }

  /**
   * Keeps the items a section owns (placed within its window; a walker that has wandered past the
   * end still belongs to the section it started in) that are not behind the camera.
   */
  private static void keep(List<Item> from, List<Item> into, double shift, double lo, double hi) {
    for (Item item : from) {
      double at = item.anchor >= Scenery.BACKDROP ? item.anchor - Scenery.BACKDROP : item.anchor;
      if (at < lo || at >= hi) {
        continue;
      }
      item.shift = shift;
      // elements made only of clipped polygons may reach past the camera; the rest would
      // project mirrored from behind it
      if (!item.extended && item.viewDepth() < 1.0) {
        continue;
      }
      into.add(item);
    }
  }

  /** What the passes of one frame share. */
  private record Frame(
      SceneSpec spec, Canvas canvas, long clipSeed, double time, double[] laneSpeed) {

    /**
     * Builds one pass of the frame from its own stream: one per clip for the anchored pass and the
     * traffic, one per road section (index {@code section}, -1 for the other passes).
     */
    SceneBuild build(VideoPass.Kind kind, long section, int firstObject) {
      int purpose =
          switch (kind) {
            case ANCHORED -> 2;
            case SECTION -> 3;
            case TRAFFIC -> 4;
          };
      Rng rng = stream(clipSeed, purpose, kind == VideoPass.Kind.SECTION ? section : 0);
      VideoPass pass = new VideoPass(kind, time, stream(clipSeed, 7, 0), section, laneSpeed);
      SceneBuild b = new SceneBuild(spec, rng, canvas, pass, firstObject);
      b.build();
      return b;
    }
  }

  /** An independent random stream of a clip, by purpose and index. */
  private static Rng stream(long clipSeed, int purpose, long index) {
    return new Rng(Rng.mix(clipSeed * 0x9E3779B97F4A7C15L + purpose), index);
  }

  /** Ego speed in m/s: typical for the scene type. */
  static double egoSpeed(String scene, Rng r) {
    return switch (scene) {
      case "highway" -> r.uniform(22, 30);
      case "tunnel" -> r.uniform(16, 24);
      case "city street" -> r.uniform(8, 12);
      case "residential" -> r.uniform(6, 10);
      case "gas stations" -> r.uniform(3.5, 4.5);
      default -> r.uniform(2.5, 3.5);
    };
  }

  /**
   * Speed of each lane relative to the ego: its own lane keeps pace (a lead vehicle at a steady
   * gap), the others drive a little slower or faster, oncoming lanes close at both speeds.
   */
  private static double[] laneSpeeds(SceneSpec spec, Rng r, double ego) {
    double[] v = new double[spec.lanes];
    for (int lane = 0; lane < spec.lanes; lane++) {
      double own = ego * r.uniform(0.75, 1.3);
      if (lane == spec.egoLane) {
        v[lane] = 0;
      } else if (lane < spec.opposing) {
        v[lane] = -(ego + own);
      } else {
        v[lane] = own - ego;
      }
    }
    return v;
  }

  /**
   * Section length in metres: a whole number of dash periods (9 m), and of parking stalls (2.7 m)
   * in parking lots, so that markings run on seamlessly from one section to the next.
   */
  static double sectionLength(String scene) {
    return scene.equals("parking lot") ? 54 : 72;
  }

  /** How far ahead the roadside is built. */
  private static double viewDistance(String scene) {
    return switch (scene) {
      case "highway" -> 320;
      case "parking lot" -> 140;
      default -> 230;
    };
  }

  /**
   * Camera depth in metres of the nearest object (vehicle, walker, rider, ...) that the last
   * rendered frame shows in the ego's path: the middle sixth of the image columns below the
   * horizon; infinite when there is none. What a driver brakes for, for simulated telemetry.
   */
  public double nearestAhead() {
    if (canvas == null) {
      return Double.POSITIVE_INFINITY;
    }
    int x0 = width * 5 / 12;
    int x1 = width * 7 / 12;
    int y0 = Math.max(0, (int) Math.ceil(lastHorizon));
    double nearest = Double.POSITIVE_INFINITY;
    for (int y = y0; y < height; y++) {
      for (int x = x0; x < x1; x++) {
        int id = canvas.ids[y * width + x] & 0xFFFFFF;
        if (id >= Canvas.FIRST_OBJECT && canvas.depthKind[id] == Canvas.DepthKind.FIXED) {
          nearest = Math.min(nearest, canvas.depthParam[id]);
        }
      }
    }
    return nearest;
  }

  /** The road's curvature in 1/m of the clip (positive: bending left), for simulated yaw. */
  public double curvature(long clipSeed) {
    return SceneSpec.sample(stream(clipSeed, 0, 0), width, height).curvature;
  }
}
