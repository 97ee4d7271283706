package dev.hydrastream.data.render;

import dev.hydrastream.data.DetLabel;
import dev.hydrastream.data.FrameLabels;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Taxonomy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders synthetic driving frames with exact labels. Everything about a frame follows from {@code
 * (seed, index)}: scene type, weather, time of day, camera, road, scenery and objects are sampled,
 * drawn far to near into a {@link Canvas}, and the labels are read back from the pixels each object
 * still owns: a box is the tight bound of its visible pixels, {@code occluded} means at least
 * {@link #OCCLUSION_FRACTION} of its in-image silhouette is hidden, {@code truncated} means part of
 * its silhouette falls outside the image.
 *
 * <p>Thread-safe: each call uses its own canvas and random stream.
 */
public final class SceneRenderer {

  /** Objects with fewer visible pixels than this are drawn but not labelled. */
  public static final int MIN_VISIBLE_PIXELS = 24;

  /** Objects whose visible box is narrower or lower than this are drawn but not labelled. */
  public static final int MIN_BOX_SIDE = 4;

  /** Fraction of the in-image silhouette that must be hidden for {@code occluded}. */
  public static final double OCCLUSION_FRACTION = 0.05;

  private final int width;
  private final int height;

  public SceneRenderer(int width, int height) {
    checkSize(width, height);
    this.width = width;
    this.height = height;
  }

  /** Refuses frame sizes the renderer's geometry is not made for. */
  static void checkSize(int width, int height) {
    if (width < 64 || height < 64 || width > 8192 || height > 8192) {
      throw new IllegalArgumentException(
          "frame size must be within 64..8192, got " + width + "x" + height);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Renders frame {@code index} of the stream defined by {@code seed}. */
  public RenderedFrame render(long seed, long index) {
    return render(seed, index, false, -1, false);
  }

  /**
   * Renders with test options.
   *
   * @param flat paint every element with its id as colour and skip colour-only effects
   * @param onlyObject if >= 0, draw only the object with this id (its solo silhouette)
   * @param keepIds keep the id buffer in the result
   */
  RenderedFrame render(long seed, long index, boolean flat, int onlyObject, boolean keepIds) {
    Rng rng = new Rng(seed, index);
    SceneSpec spec = SceneSpec.sample(rng, width, height);
    Canvas canvas = new Canvas(width, height, spec.camera.roll, flat);
    World world = new World(spec, rng, canvas);
    world.build();

    List<Item> items = new ArrayList<>(world.items);
    items.sort(Comparator.comparingDouble((Item i) -> -i.depth));
    List<Silhouette> silhouettes = new ArrayList<>();
    if (onlyObject < 0) {
      world.drawGround();
    }
    for (Item item : items) {
      if (onlyObject >= 0 && item.objectId != onlyObject) {
        continue;
      }
      if (item.isObject()) {
        canvas.objectDepth(item.objectId, item.depth);
        silhouettes.add(silhouette(canvas, item));
      }
      item.draw(canvas);
    }
    if (onlyObject < 0) {
      world.drawForeground();
    }

    List<DetLabel> labels = labels(canvas, silhouettes);
    byte[] drivable = new byte[width * height];
    byte[] lane = new byte[width * height];
    int[] ids = canvas.ids;
    for (int p = 0; p < ids.length; p++) {
      int id = ids[p] & 0xFFFFFF;
      drivable[p] =
          (byte)
              (id == Canvas.ROAD_DIRECT
                  ? Taxonomy.DRIVABLE_DIRECT
                  : id == Canvas.ROAD_ALT
                      ? Taxonomy.DRIVABLE_ALTERNATIVE
                      : Taxonomy.DRIVABLE_BACKGROUND);
      boolean road = id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT;
      lane[p] = (byte) (road && canvas.lane[p] != 0 ? world.laneCode() : Taxonomy.LANE_BACKGROUND);
    }
    byte[] bgr;
    if (flat) {
      bgr = Effects.toBgr(canvas.rgb);
    } else {
      Effects effects = new Effects(spec, canvas, rng);
      effects.lighting();
      effects.overlay(items, world.streetLights);
      bgr = effects.finish();
    }
    canvas.dispose();
    FrameLabels frameLabels = new FrameLabels("", spec.weather, spec.scene, spec.timeofday, labels);
    return new RenderedFrame(
        width,
        height,
        bgr,
        frameLabels,
        drivable,
        lane,
        spec.jpegQuality,
        spec.blurSigma,
        spec.motionBlur,
        keepIds ? ids : null);
  }

  /** In-image and total pixel counts of an object's unoccluded silhouette. */
  private record Silhouette(Item item, Rectangle bounds, int inImage, int total) {}

  private Silhouette silhouette(Canvas canvas, Item item) {
    Rectangle b = null;
    for (Item.Part p : item.parts) {
      if (p.mode() == Item.Mode.FILL) {
        Rectangle r = canvas.deviceBounds(p.shape());
        b = b == null ? r : b.union(r);
      }
    }
    if (b == null || b.width <= 0 || b.height <= 0) {
      return new Silhouette(item, new Rectangle(), 0, 0);
    }
    b.grow(1, 1);
    // bound the scratch buffer; objects are never much larger than the frame
    int w = Math.min(b.width, 4 * width);
    int h = Math.min(b.height, 4 * height);
    BufferedImage scratch = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = scratch.createGraphics();
    Canvas.hints(g);
    AffineTransform t = AffineTransform.getTranslateInstance(-b.x, -b.y);
    t.concatenate(canvas.transform());
    g.setTransform(t);
    g.setColor(Color.WHITE);
    for (Item.Part p : item.parts) {
      if (p.mode() == Item.Mode.FILL) {
        g.fill(p.shape());
      }
    }
    g.dispose();
    byte[] px = ((DataBufferByte) scratch.getRaster().getDataBuffer()).getData();
    int total = 0;
    int inside = 0;
    for (int y = 0; y < h; y++) {
      int gy = y + b.y;
      boolean rowIn = gy >= 0 && gy < height;
      for (int x = 0; x < w; x++) {
        if (px[y * w + x] != 0) {
          total++;
          int gx = x + b.x;
          if (rowIn && gx >= 0 && gx < width) {
            inside++;
          }
        }
      }
    }
    return new Silhouette(item, b, inside, total);
  }

  private List<DetLabel> labels(Canvas canvas, List<Silhouette> silhouettes) {
    int n = Canvas.MAX_ID;
    int[] minX = new int[n];
    int[] minY = new int[n];
    int[] maxX = new int[n];
    int[] maxY = new int[n];
    int[] count = new int[n];
    int[] ids = canvas.ids;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int id = ids[y * width + x] & 0xFFFFFF;
        if (id < Canvas.FIRST_OBJECT) {
          continue;
        }
        if (count[id]++ == 0) {
          minX[id] = x;
          maxX[id] = x;
          minY[id] = y;
          maxY[id] = y;
        } else {
          minX[id] = Math.min(minX[id], x);
          maxX[id] = Math.max(maxX[id], x);
          minY[id] = Math.min(minY[id], y);
          maxY[id] = Math.max(maxY[id], y);
        }
      }
    }
    List<DetLabel> labels = new ArrayList<>();
    silhouettes.sort(Comparator.comparingInt(s -> s.item().objectId));
    for (Silhouette s : silhouettes) {
      int id = s.item().objectId;
      int visible = count[id];
      if (visible < MIN_VISIBLE_PIXELS
          || maxX[id] - minX[id] + 1 < MIN_BOX_SIDE
          || maxY[id] - minY[id] + 1 < MIN_BOX_SIDE) {
        continue;
      }
      boolean occluded = visible < s.inImage() * (1 - OCCLUSION_FRACTION);
      boolean truncated = s.inImage() < s.total();
      labels.add(
          new DetLabel(
              id,
              s.item().category,
              new Box(minX[id], minY[id], maxX[id], maxY[id]),
              occluded,
              truncated,
              s.item().lightColor));
    }
    return labels;
  }

  // =================================================================== the world

  /** Builds road, scenery and objects of one scene into items. */
  static final class World {
    final SceneSpec spec;
    final Rng rng;
    final Canvas canvas;
    final Camera cam;
    final Shapes shapes;
    final List<Item> items = new ArrayList<>();
    final List<Item.Light> streetLights = new ArrayList<>();
    private int nextObject;

    /** The video pass being built, or null for a dataset frame (a whole independent scene). */
    final VideoPass video;

    private final boolean night;
    private final boolean lit;

    /** Occupied depth intervals per lane, to avoid overlapping vehicles. */
    private final List<List<double[]>> laneUse = new ArrayList<>();

    World(SceneSpec spec, Rng rng, Canvas canvas) {
      this(spec, rng, canvas, null, Canvas.FIRST_OBJECT);
    }

    /**
     * A world for one pass of a video frame.
     *
     * @param firstObject first object id, so that passes drawn into one canvas do not collide
     */
    World(SceneSpec spec, Rng rng, Canvas canvas, VideoPass video, int firstObject) {
      this.video = video;
      this.nextObject = firstObject;
      this.spec = spec;
      this.rng = rng;
      this.canvas = canvas;
      this.cam = spec.camera;
      this.shapes = new Shapes(cam);
      this.night = spec.timeofday.equals("night");
      this.lit = night || spec.timeofday.equals("dawn/dusk");
      for (int i = 0; i < spec.lanes; i++) {
        laneUse.add(new ArrayList<>());
      }
    }

    int laneCode() {
      return 0x06;
    }

    // ------------------------------------------------------------ video passes

    /** Whether this build makes the static roadside (always, for datasets). */
    private boolean roadside() {
      return video == null || video.kind == VideoPass.Kind.SECTION;
    }

    /** Whether this build makes what keeps its distance from a moving camera. */
    private boolean anchored() {
      return video == null || video.kind == VideoPass.Kind.ANCHORED;
    }

    /** Whether this build makes the traffic in lanes. */
    private boolean moving() {
      return video == null || video.kind == VideoPass.Kind.TRAFFIC;
    }

    /**
     * The stream for clip-wide road layout (sidewalk width, aisles): in video every section must
     * draw the same layout, so it has its own stream; for datasets it is the frame's stream.
     */
    private Rng layout() {
      return video == null ? rng : video.layout;
    }

    // ------------------------------------------------------------ road geometry

    double centre(double z) {
      return spec.curvature * z * z / 2;
    }

    /** Lateral position of lane boundary k (0..lanes) at depth z. */
    double boundary(int k, double z) {
      double b = spec.egoCentre + (k - spec.egoLane - 0.5) * spec.laneWidth;
      return b + centre(z);
    }

    double laneCentre(int lane, double z) {
      return (boundary(lane, z) + boundary(lane + 1, z)) / 2;
    }

    double leftEdge(double z) {
      return boundary(0, z);
    }

    double rightEdge(double z) {
      return boundary(spec.lanes, z);
    }

    private static final double[] ZS = depthSamples();

    private static double[] depthSamples() {
      double[] zs = new double[48];
      for (int i = 0; i < zs.length; i++) {
        zs[i] = 0.8 * Math.pow(500 / 0.8, i / (double) (zs.length - 1));
      }
      return zs;
    }

    /** Ground strip between lateral functions lo(z)+a and hi(z)+b over [z0, z1]. */
    Path2D.Double strip(
        java.util.function.DoubleUnaryOperator lo,
        java.util.function.DoubleUnaryOperator hi,
        double z0,
        double z1) {
      List<Double> zs = new ArrayList<>();
      if (cam.posed()) {
        // sample in camera depth (dense near the camera), clamped to the section's window
        // (builders start strips at 0.5 m, "from the camera": here from the section start)
        double from = z0 < 1.0 ? cam.windowLo() : Math.max(z0, cam.windowLo());
        double to = Math.min(z1, cam.windowHi());
        double shift = cam.shift();
        from = Math.max(from, shift + Camera.NEAR);
        if (from >= to) {
          return new Path2D.Double();
        }
        zs.add(from);
        for (double z : ZS) {
          if (z + shift > from && z + shift < to) {
            zs.add(z + shift);
          }
        }
        zs.add(to);
      } else {
        zs.add(Math.max(z0, Camera.NEAR));
        for (double z : ZS) {
          if (z > z0 && z < z1) {
            zs.add(z);
          }
        }
        zs.add(z1);
      }
      Path2D.Double p = new Path2D.Double();
      for (int i = 0; i < zs.size(); i++) {
        double z = zs.get(i);
        double u = cam.u(lo.applyAsDouble(z), z);
        double v = cam.v(0, z);
        if (i == 0) {
          p.moveTo(u, v);
        } else {
          p.lineTo(u, v);
        }
      }
      for (int i = zs.size() - 1; i >= 0; i--) {
        double z = zs.get(i);
        p.lineTo(cam.u(hi.applyAsDouble(z), z), cam.v(0, z));
      }
      p.closePath();
      return p;
    }

    // ------------------------------------------------------------ ground layer

    /** Sky, terrain, road surface and markings: drawn before all items. */
    void drawGround() {
      int w = cam.width;
      int h = cam.height;
      Rectangle2D.Double sky = new Rectangle2D.Double(-w, -h, 3 * w, cam.horizon + h + 2);
      Sky.paint(canvas, spec, sky, rng);
      Rectangle2D.Double ground = new Rectangle2D.Double(-w, cam.horizon, 3 * w, 2 * h);
      canvas.fill(ground, spec.palette.terrain(), Canvas.TERRAIN);
      for (Item ground2 : groundItems) {
        ground2.draw(canvas);
      }
    }

    final List<Item> groundItems = new ArrayList<>();
    final List<Item> foreground = new ArrayList<>();

    void drawForeground() {
      for (Item f : foreground) {
        f.draw(canvas);
      }
    }

    // ------------------------------------------------------------ build

    void build() {
      switch (spec.scene) {
        case "city street" -> city();
        case "highway" -> highway();
        case "residential" -> residential();
        case "parking lot" -> parkingLot();
        case "tunnel" -> tunnel();
        default -> gasStation();
      }
      if (spec.hood > 0 && anchored()) {
        hood();
      }
    }

    private Item ground() {
      Item g = Item.scenery(1e9);
      groundItems.add(g);
      return g;
    }

    /** Lanes (direct/alternative) and their markings from depth z0 to zFar. */
    private void road(double zFar, boolean markings, double intersectionZ, double intersectionW) {
      Item g = ground();
      Color asphalt = spec.palette.asphalt();
      if (intersectionZ > 0) {
        g.fill(
            strip(z -> -400, z -> 400, intersectionZ, intersectionZ + intersectionW),
            asphalt,
            Canvas.ROAD_ALT);
      }
      for (int k = 0; k < spec.lanes; k++) {
        final int lane = k;
        int id = k == spec.egoLane ? Canvas.ROAD_DIRECT : Canvas.ROAD_ALT;
        Color c = Shapes.shade(asphalt, 0.97 + 0.06 * ((k * 7) % 3) / 2.0);
        g.fill(strip(z -> boundary(lane, z), z -> boundary(lane + 1, z), 0.5, zFar), c, id);
      }
      // tyre-polished tracks
      if (!canvas.flat) {
        for (int k = 0; k < spec.lanes; k++) {
          final int lane = k;
          for (double off : new double[] {-0.8, 0.8}) {
            g.colour(
                strip(
                    z -> laneCentre(lane, z) + off - 0.35,
                    z -> laneCentre(lane, z) + off + 0.35,
                    0.5,
                    zFar),
                Shapes.shade(asphalt, 0.9));
          }
        }
      }
      if (!markings) {
        return;
      }
      Color white = spec.palette.paint();
      Color yellow = new Color(225, 185, 40);
      double mw = 0.15;
      for (int k = 0; k <= spec.lanes; k++) {
        final int b = k;
        boolean edge = k == 0 || k == spec.lanes;
        boolean centreLine = spec.opposing > 0 && k == spec.opposing;
        if (edge && !spec.edgeLines) {
          continue;
        }
        Color col = centreLine ? yellow : white;
        double inset = k == 0 ? 0.25 : k == spec.lanes ? -0.25 : 0;
        if (centreLine && spec.doubleCentre) {
          for (double off : new double[] {-0.12, 0.12}) {
            markingSegments(
                g, z -> boundary(b, z) + off, mw, zFar, false, col, intersectionZ, intersectionW);
          }
        } else {
          boolean dashed = !edge && !(centreLine && spec.doubleCentre);
          markingSegments(
              g, z -> boundary(b, z) + inset, mw, zFar, dashed, col, intersectionZ, intersectionW);
        }
      }
      if (intersectionZ > 0 && spec.crosswalk) {
        double z0 = intersectionZ - 4.0;
        for (double x = leftEdge(z0) + 0.3; x < rightEdge(z0) - 0.5; x += 1.0) {
          final double xx = x;
          g.lane(
              strip(
                  z -> xx + centre(z) - centre(z0),
                  z -> xx + 0.5 + centre(z) - centre(z0),
                  z0,
                  z0 + 3.0),
              white);
        }
      }
    }

    private void markingSegments(
        Item g,
        java.util.function.DoubleUnaryOperator x,
        double mw,
        double zFar,
        boolean dashed,
        Color col,
        double iz,
        double iw) {
      double z = 1.0;
      double phase = spec.dashPhase;
      double end = Math.min(zFar, 160);
      if (video != null) {
        // sections are a whole number of dash periods long: start one period early so a dash
        // that crosses into this section from the previous one is completed, and draw solid
        // lines from the section start
        z = dashed ? 1.0 + phase - 9.0 : cam.windowLo();
        end = Math.min(zFar, cam.windowHi());
      }
      while (z < end) {
        double z0 = z;
        double z1 = dashed ? z + 3.0 : end;
        if (dashed && z0 == 1.0) {
          z0 = 1.0 + phase;
          z1 = z0 + 3.0;
        }
        z = dashed ? z1 + 6.0 : end;
        for (double[] seg :
            cut(z0, Math.min(z1, end), iz - (spec.crosswalk ? 4.5 : 0.5), iz + iw)) {
          g.lane(
              strip(
                  q -> x.applyAsDouble(q) - mw / 2,
                  q -> x.applyAsDouble(q) + mw / 2,
                  seg[0],
                  seg[1]),
              col);
        }
      }
    }

    /** [a, b] minus [c, d] (markings stop at intersections). */
    private static List<double[]> cut(double a, double b, double c, double d) {
      List<double[]> out = new ArrayList<>();
      if (c <= 0 || d <= a || c >= b) {
        out.add(new double[] {a, b});
        return out;
      }
      if (c > a) {
        out.add(new double[] {a, c});
      }
      if (d < b) {
        out.add(new double[] {d, b});
      }
      return out;
    }

    /** A flat non-drivable surface strip (sidewalk, shoulder) as ground. */
    private void pavement(
        java.util.function.DoubleUnaryOperator lo,
        java.util.function.DoubleUnaryOperator hi,
        double z0,
        double z1,
        Color c) {
      ground().fill(strip(lo, hi, z0, z1), c, Canvas.PAVEMENT);
    }

    // ------------------------------------------------------------ objects

    private int newObject() {
      return nextObject++;
    }

    private Item object(double depth, String category) {
      Item it = new Item(depth, newObject(), category);
      items.add(it);
      return it;
    }

    private boolean reserve(int lane, double z0, double z1) {
      for (double[] r : laneUse.get(lane)) {
        if (z0 < r[1] && z1 > r[0]) {
          return false;
        }
      }
      laneUse.get(lane).add(new double[] {z0, z1});
      return true;
    }

    private static final List<Color> CAR_COLOURS =
        List.of(
            new Color(235, 235, 235),
            new Color(25, 25, 28),
            new Color(165, 168, 172),
            new Color(95, 98, 104),
            new Color(160, 25, 28),
            new Color(30, 60, 140),
            new Color(20, 30, 70),
            new Color(40, 90, 50),
            new Color(230, 190, 30),
            new Color(110, 70, 40),
            new Color(200, 90, 30));

    private Color carColour() {
      Color c = rng.pick(CAR_COLOURS);
      return Shapes.shade(c, rng.uniform(0.85, 1.1));
    }

    /** Vehicles driving in lanes. */
    private void traffic(int count, double zMax, double pTruck, double pBus, double pTwo) {
      if (!moving()) {
        return;
      }
      for (int attempt = 0; attempt < count * 4 && count > 0; attempt++) {
        int lane = rng.range(0, spec.lanes - 1);
        boolean oncoming = lane < spec.opposing;
        double z = 5 + (zMax - 5) * Math.pow(rng.uniform(0, 1), 1.4);
        int kind = rng.weighted(1 - pTruck - pBus - pTwo, pTruck, pBus, pTwo);
        double len =
            switch (kind) {
              case 1 -> 9.5;
              case 2 -> 12.5;
              case 3 -> 2.2;
              default -> 5.0;
            };
        if (z - len / 2 < 3.0 || (lane == spec.egoLane && z < 8)) {
          continue;
        }
        if (!reserve(lane, z - len / 2 - 1.5, z + len / 2 + 1.5)) {
          continue;
        }
        count--;
        if (video != null) {
          // placed (and reserved) at the clip start; now where its speed has taken it
          z = video.vehicleDepth(lane, z, nextObject);
        }
        double x = laneCentre(lane, z) + rng.uniform(-0.35, 0.35);
        double heading = Math.atan(spec.curvature * z);
        double yaw = (oncoming ? Math.PI : 0) + heading + rng.uniform(-0.03, 0.03);
        if (kind == 3) {
          rider(x, z, rng.chance(0.65), false, oncoming);
          continue;
        }
        Shapes.Body body =
            switch (kind) {
              case 1 -> Shapes.Body.TRUCK;
              case 2 -> Shapes.Body.BUS;
              default ->
                  rng.pick(
                      List.of(
                          Shapes.Body.SEDAN,
                          Shapes.Body.SEDAN,
                          Shapes.Body.SUV,
                          Shapes.Body.HATCH,
                          Shapes.Body.VAN));
            };
        String cat = kind == 1 ? "truck" : kind == 2 ? "bus" : "car";
        Item it = object(z, cat);
        Color paint =
            kind == 2
                ? rng.pick(
                    List.of(
                        new Color(240, 190, 20),
                        new Color(230, 230, 235),
                        new Color(40, 90, 170),
                        new Color(190, 35, 35)))
                : carColour();
        shapes.vehicle(it, it.objectId, body, x, z, yaw, paint, lit, !oncoming && rng.chance(0.25));
        shadow(it, x, z, body == Shapes.Body.BUS ? 2.6 : 2.0, len);
      }
    }

    /** A soft dark patch under a vehicle (colour only: shadows are not part of the box). */
    private void shadow(Item it, double x, double z, double w, double l) {
      if (spec.weather.equals("overcast") || spec.weather.equals("foggy") || night) {
        return;
      }
      Path2D.Double s =
          cam.polygon(
              new double[] {x - w / 2 - 0.1, 0, z - l / 2},
              new double[] {x + w / 2 + 0.1, 0, z - l / 2},
              new double[] {x + w / 2 + 0.1, 0, z + l / 2},
              new double[] {x - w / 2 - 0.1, 0, z + l / 2});
      it.parts.add(0, new Item.Part(s, new Color(0, 0, 0, 90), -1, Item.Mode.COLOUR));
    }

    private void parked(int side, double z0, double z1, double gapChance) {
      double z = z0 + rng.uniform(0, 4);
      while (z < z1) {
        double len = 4.6;
        if (!rng.chance(gapChance)) {
          double edge = side > 0 ? rightEdge(z) : leftEdge(z);
          double x = edge + side * rng.uniform(-1.25, -0.95);
          if (video != null) {
            // the ego and the traffic drive through the lanes: park beside the road instead
            x = edge + (edge - x);
          }
          Item it = object(z, "car");
          Shapes.Body body =
              rng.pick(
                  List.of(Shapes.Body.SEDAN, Shapes.Body.SUV, Shapes.Body.HATCH, Shapes.Body.VAN));
          double yaw =
              (side < 0 && spec.opposing > 0 ? Math.PI : 0)
                  + rng.uniform(-0.04, 0.04)
                  + Math.atan(spec.curvature * z);
          shapes.vehicle(it, it.objectId, body, x, z, yaw, carColour(), false, false);
          shadow(it, x, z, 1.9, len);
        }
        z += len + rng.uniform(1.0, 3.5);
      }
    }

    private static final List<Color> SHIRTS =
        List.of(
            new Color(200, 40, 40),
            new Color(40, 70, 160),
            new Color(230, 230, 230),
            new Color(30, 30, 30),
            new Color(90, 140, 70),
            new Color(230, 170, 40),
            new Color(120, 60, 130),
            new Color(150, 110, 80),
            new Color(60, 160, 190));
    private static final List<Color> TROUSERS =
        List.of(
            new Color(40, 45, 70),
            new Color(30, 30, 30),
            new Color(110, 100, 90),
            new Color(70, 80, 110),
            new Color(160, 150, 130));
    private static final List<Color> SKIN =
        List.of(
            new Color(240, 200, 170),
            new Color(200, 150, 110),
            new Color(140, 95, 65),
            new Color(90, 60, 40));
    private static final List<Color> HAIR =
        List.of(
            new Color(25, 20, 15),
            new Color(90, 60, 30),
            new Color(200, 170, 100),
            new Color(130, 130, 130),
            new Color(60, 40, 25));

    private void pedestrian(double x, double z, boolean crossing) {
      Item it = object(z, "pedestrian");
      double h = rng.uniform(1.5, 1.92);
      if (rng.chance(0.1)) {
        h = rng.uniform(1.05, 1.35);
      }
      Color shirt = rng.pick(SHIRTS);
      Color trousers = rng.pick(TROUSERS);
      Color skin = rng.pick(SKIN);
      Color hair = rng.pick(HAIR);
      double stride = rng.uniform(0.2, 1.0);
      boolean side = crossing || rng.chance(0.3);
      if (video != null && !side) {
        // seen from front or back: walking along the road
        z = video.walkerDepth(z, it.objectId);
        it.depth = z;
      }
      shapes.person(it, it.objectId, x, z, h, shirt, trousers, skin, hair, stride, side, 0);
    }

    private void sidewalkPeople(int count, double innerOffset, double width, double zMax) {
      for (int i = 0; i < count; i++) {
        int side = rng.chance(0.5) ? 1 : -1;
        double z = rng.uniform(4, zMax);
        double edge = side > 0 ? rightEdge(z) : leftEdge(z);
        double x = edge + side * (innerOffset + rng.uniform(0.3, Math.max(0.4, width - 0.3)));
        if (rng.chance(0.12)) {
          // a parked bicycle
          Item b = object(z + 0.05, "bicycle");
          shapes.twoWheeler(
              b,
              b.objectId,
              x,
              z + 0.05,
              false,
              true,
              rng.chance(0.5),
              rng.pick(SHIRTS),
              false,
              false);
        } else {
          pedestrian(x, z, false);
        }
      }
    }

    /** A bicycle or motorcycle with its rider: two labels, rider drawn in front. */
    private void rider(double x, double z, boolean motor, boolean side, boolean oncoming) {
      Item bike = object(z + 0.02, motor ? "motorcycle" : "bicycle");
      double seat =
          shapes.twoWheeler(
              bike,
              bike.objectId,
              x,
              z + 0.02,
              motor,
              side,
              rng.chance(0.5),
              motor ? carColour() : rng.pick(SHIRTS),
              lit,
              !oncoming);
      Item person = object(z, "rider");
      shapes.person(
          person,
          person.objectId,
          x,
          z,
          rng.uniform(1.6, 1.85),
          rng.pick(SHIRTS),
          rng.pick(TROUSERS),
          rng.pick(SKIN),
          motor ? new Color(30, 30, 30) : rng.pick(HAIR),
          0.3,
          side,
          seat + 0.05);
    }

    private String signalColour() {
      return rng.pick(List.of("red", "red", "green", "green", "yellow"));
    }

    /** Signals at an intersection: poles beside the road and over the lanes. */
    private void intersectionSignals(double zi, double wi) {
      double z = zi + wi + 1.0;
      String colour = signalColour();
      Color pole = new Color(60, 62, 60);
      for (int side : new int[] {-1, 1}) {
        if (rng.chance(0.3)) {
          continue;
        }
        double x = side > 0 ? rightEdge(z) + 1.5 : leftEdge(z) - 1.5;
        Item poleItem = Item.scenery(z + 0.01);
        int pid = canvas.scenery(Canvas.DepthKind.FIXED, z);
        poleItem.fill(cam.billboard(x - 0.1, x + 0.1, 0, 5.8, z), pole, pid);
        boolean mast = rng.chance(0.6);
        double armEnd = x - side * rng.uniform(3.5, 7.0);
        if (mast) {
          poleItem.fill(
              cam.billboard(Math.min(x, armEnd), Math.max(x, armEnd), 5.6, 5.75, z), pole, pid);
        }
        items.add(poleItem);
        Item tl = object(z - 0.01, "traffic light");
        tl.lightColor = colour;
        shapes.trafficLight(tl, tl.objectId, x, 3.6, z - 0.01, colour, true, false);
        if (mast) {
          boolean horiz = rng.chance(0.3);
          for (double ax : new double[] {armEnd + side * 0.5, (x + armEnd) / 2}) {
            Item t2 = object(z - 0.01, "traffic light");
            t2.lightColor = colour;
            shapes.trafficLight(
                t2, t2.objectId, ax, horiz ? 5.2 : 5.0, z - 0.01, colour, true, horiz);
          }
        }
      }
      // cross-street signals seen edge-on or from behind
      if (rng.chance(0.5)) {
        double zb = zi - 1.0;
        double x = rightEdge(zb) + 1.2;
        Item p = Item.scenery(zb + 0.01);
        p.fill(
            cam.billboard(x - 0.08, x + 0.08, 0, 4.2, zb),
            pole,
            canvas.scenery(Canvas.DepthKind.FIXED, zb));
        items.add(p);
        Item back = object(zb - 0.01, "traffic light");
        back.lightColor = "none";
        shapes.trafficLight(back, back.objectId, x, 3.5, zb - 0.01, "none", false, false);
      }
    }

    private static final List<Color[]> SIGN_STYLES =
        List.of(
            new Color[] {new Color(245, 245, 245), new Color(200, 20, 20)},
            new Color[] {new Color(30, 80, 170), new Color(240, 240, 240)},
            new Color[] {new Color(240, 200, 30), new Color(20, 20, 20)},
            new Color[] {new Color(200, 25, 25), new Color(245, 245, 245)},
            new Color[] {new Color(30, 120, 60), new Color(240, 240, 240)},
            new Color[] {new Color(245, 245, 245), new Color(30, 30, 30)});

    /** Roadside signs on poles. */
    private void signs(int count, double zMin, double zMax, double offset) {
      for (int i = 0; i < count; i++) {
        int side = rng.chance(0.7) ? 1 : -1;
        double z = rng.uniform(zMin, zMax);
        double x = (side > 0 ? rightEdge(z) : leftEdge(z)) + side * offset;
        double size = rng.uniform(0.6, 1.0);
        double y = rng.uniform(1.9, 2.8);
        Shapes.SignShape shape = rng.pick(List.of(Shapes.SignShape.values()));
        if (shape == Shapes.SignShape.WIDE) {
          size *= 0.8;
        }
        Color[] style = rng.pick(SIGN_STYLES);
        Item pole = Item.scenery(z + 0.02);
        pole.fill(
            cam.billboard(x - 0.04, x + 0.04, 0, y, z + 0.02),
            new Color(140, 140, 140),
            canvas.scenery(Canvas.DepthKind.FIXED, z));
        items.add(pole);
        Item sign = object(z, "traffic sign");
        shapes.trafficSign(
            sign, sign.objectId, x, y, z, size, shape, style[0], style[1], rng.chance(0.08));
      }
    }

    /** An overhead gantry with large direction signs. */
    private void gantry(double z) {
      Color steel = new Color(120, 122, 125);
      Item g = Item.scenery(z + 0.3);
      int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
      double l = leftEdge(z) - 1.5;
      double r = rightEdge(z) + 1.5;
      g.fill(cam.billboard(l - 0.2, l + 0.2, 0, 7.2, z + 0.3), steel, id);
      g.fill(cam.billboard(r - 0.2, r + 0.2, 0, 7.2, z + 0.3), steel, id);
      g.fill(cam.billboard(l, r, 6.8, 7.2, z + 0.3), steel, id);
      items.add(g);
      int n = rng.range(1, Math.min(3, spec.lanes));
      for (int i = 0; i < n; i++) {
        double x = laneCentre(spec.lanes - 1 - i * (spec.lanes / Math.max(1, n)), z);
        Item s = object(z, "traffic sign");
        shapes.trafficSign(
            s,
            s.objectId,
            x,
            6.0,
            z,
            1.8,
            Shapes.SignShape.WIDE,
            new Color(20, 110, 60),
            new Color(240, 240, 240),
            false);
      }
    }

    private void streetLamp(double x, double z, double h, int side, boolean arm) {
      Item lamp = Item.scenery(z + 0.05);
      int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
      Color pole = new Color(90, 92, 95);
      lamp.fill(cam.billboard(x - 0.09, x + 0.09, 0, h, z), pole, id);
      double headX = arm ? x - side * 1.6 : x;
      if (arm) {
        lamp.fill(cam.billboard(Math.min(x, headX), Math.max(x, headX), h - 0.12, h, z), pole, id);
      }
      Path2D.Double head = cam.billboard(headX - 0.35, headX + 0.35, h - 0.25, h - 0.05, z);
      lamp.fill(head, new Color(200, 200, 190), id);
      items.add(lamp);
      if (lit) {
        Color c = spec.sodium ? new Color(255, 190, 110) : new Color(235, 240, 255);
        lamp.lights.add(new Item.Light(head, c, cam.scale(z) * 2.2, z, true, true));
      }
    }

    private void train(double x, double z, double yaw) {
      Item t = object(z, "train");
      shapes.vehicle(t, t.objectId, Shapes.Body.TRAIN, x, z, yaw, carColour(), lit, false);
    }

    // ------------------------------------------------------------ scenes

    private void city() {
      double sidewalk = layout().uniform(2.5, 4.5);
      double zi = intersectionHere() ? rng.uniform(16, 45) : -1;
      double wi = rng.uniform(10, 16);
      Scenery sc = new Scenery(this);
      if (roadside()) {
        road(260, true, zi, wi);
        Color walk = spec.palette.sidewalk();
        pavement(z -> rightEdge(z), z -> rightEdge(z) + sidewalk, 0.5, 260, walk);
        pavement(z -> leftEdge(z) - sidewalk, z -> leftEdge(z), 0.5, 260, walk);
        curb(1, 260);
        curb(-1, 260);
        for (int side : new int[] {-1, 1}) {
          double off = sidewalk;
          sc.facades(side, off, zi, wi, 220, 6, 42);
        }
      }
      if (anchored()) {
        sc.skyline(180, 250, 20, 70);
      }
      if (!roadside()) {
        traffic(rng.range(3, 9), 110, 0.08, 0.12, 0.1);
        return;
      }
      if (zi > 0) {
        intersectionSignals(zi, wi);
      } else if (rng.chance(0.35)) {
        intersectionSignals(rng.uniform(60, 90), 12);
      }
      traffic(rng.range(3, 9), 110, 0.08, 0.12, 0.1);
      if (rng.chance(0.6)) {
        parked(1, 4, 60, 0.3);
      }
      if (spec.opposing > 0 && rng.chance(0.4)) {
        parked(-1, 6, 60, 0.4);
      }
      sidewalkPeople(rng.range(2, 10), 0.0, sidewalk, 60);
      if (zi > 0 && rng.chance(0.6)) {
        int n = rng.range(1, 4);
        for (int i = 0; i < n; i++) {
          double z = zi - rng.uniform(1.2, 3.5);
          // video: the ego drives through the crossing, so they wait at the kerb
          double x =
              video == null
                  ? rng.uniform(leftEdge(z), rightEdge(z))
                  : rng.chance(0.5) ? leftEdge(z) - 0.6 : rightEdge(z) + 0.6;
          pedestrian(x, z, true);
        }
      }
      // video leaves out things standing in the ego's way (a rider crossing, a tram in a lane)
      if (zi > 0 && rng.chance(0.3) && video == null) {
        double z = zi + wi / 2;
        rider(rng.uniform(-8, 8), z, rng.chance(0.4), true, false);
      }
      if (rng.chance(0.3) && video == null) {
        if (zi > 0 && rng.chance(0.5)) {
          train(rng.uniform(-6, 6), zi + wi / 2, Math.PI / 2);
        } else {
          int lane = spec.opposing > 0 ? 0 : spec.lanes - 1;
          double z = rng.uniform(25, 80);
          if (reserve(lane, z - 10, z + 10)) {
            train(laneCentre(lane, z), z, lane < spec.opposing ? Math.PI : 0);
          }
        }
      }
      signs(rng.range(1, 4), 8, 70, sidewalk * 0.35);
      for (double z = rng.uniform(6, 20); z < 120; z += rng.uniform(22, 35)) {
        streetLamp(rightEdge(z) + 0.6, z, 8, 1, true);
        if (rng.chance(0.5)) {
          streetLamp(leftEdge(z) - 0.6, z, 8, -1, true);
        }
      }
    }

    /** Whether this scene (dataset) or road section (video) has an intersection. */
    private boolean intersectionHere() {
      if (video == null) {
        return spec.intersection;
      }
      // a city block every section or so where the scene has intersections, a few elsewhere
      return rng.chance(spec.intersection ? 0.6 : 0.15);
    }

    private void curb(int side, double zFar) {
      Color curb = Shapes.shade(spec.palette.sidewalk(), 1.15);
      if (side > 0) {
        pavement(z -> rightEdge(z), z -> rightEdge(z) + 0.2, 0.5, zFar, curb);
      } else {
        pavement(z -> leftEdge(z) - 0.2, z -> leftEdge(z), 0.5, zFar, curb);
      }
    }

    private void highway() {
      Scenery sc = new Scenery(this);
      if (!roadside()) {
        if (anchored()) {
          sc.hills();
        }
        traffic(rng.range(4, 11), 140, 0.22, 0.08, 0.04);
        return;
      }
      road(450, true, -1, 0);
      Color shoulder = Shapes.shade(spec.palette.asphalt(), 1.12);
      pavement(z -> rightEdge(z), z -> rightEdge(z) + 2.5, 0.5, 450, shoulder);
      pavement(z -> leftEdge(z) - 1.0, z -> leftEdge(z), 0.5, 450, shoulder);
      if (video == null) {
        sc.hills();
      }
      sc.barrier(-1, 1.0, 350);
      sc.guardRail(1, 2.7, 350);
      sc.treeLine(1, 12, 30, 300);
      if (rng.chance(0.5)) {
        sc.treeLine(-1, 14, 30, 300);
      }
      traffic(rng.range(4, 11), 140, 0.22, 0.08, 0.04);
      if (rng.chance(0.45)) {
        gantry(rng.uniform(35, 90));
      }
      signs(rng.range(0, 2), 15, 90, 3.2);
      for (double z = rng.uniform(10, 40); z < 200; z += 45) {
        streetLamp(leftEdge(z) - 1.0, z, 10, -1, true);
      }
      if (rng.chance(0.25)) {
        double side = rng.chance(0.5) ? 1 : -1;
        double z = rng.uniform(40, 90);
        double x = side * rng.uniform(18, 28) + centre(z);
        train(x, z, rng.chance(0.5) ? 0 : Math.PI);
      }
    }

    private void residential() {
      double sidewalk = layout().uniform(1.4, 2.0);
      double lawn = layout().uniform(3, 7);
      double zi = intersectionHere() ? rng.uniform(20, 50) : -1;
      double wi = rng.uniform(8, 11);
      Scenery sc = new Scenery(this);
      if (!roadside()) {
        if (anchored()) {
          sc.hills();
        }
        traffic(rng.range(0, 3), 90, 0.05, 0.02, 0.08);
        return;
      }
      road(250, spec.markings, zi, wi);
      Color walk = spec.palette.sidewalk();
      pavement(
          z -> rightEdge(z) + 0.3 + lawn * 0.25,
          z -> rightEdge(z) + 0.3 + lawn * 0.25 + sidewalk,
          0.5,
          250,
          walk);
      pavement(
          z -> leftEdge(z) - 0.3 - lawn * 0.25 - sidewalk,
          z -> leftEdge(z) - 0.3 - lawn * 0.25,
          0.5,
          250,
          walk);
      curb(1, 250);
      curb(-1, 250);
      if (video == null) {
        sc.hills();
      }
      for (int side : new int[] {-1, 1}) {
        sc.houses(side, lawn + sidewalk + 3, zi, wi, 160);
        sc.trees(side, 0.6, lawn * 0.2, 4, 120);
      }
      traffic(rng.range(0, 3), 90, 0.05, 0.02, 0.08);
      parked(1, 5, 70, 0.55);
      if (rng.chance(0.5)) {
        parked(-1, 5, 70, 0.6);
      }
      sidewalkPeople(rng.range(0, 4), 0.3 + lawn * 0.25, sidewalk, 50);
      if (rng.chance(0.25) && video == null) {
        double z = rng.uniform(8, 35);
        rider(rightEdge(z) - 0.8, z, false, false, false);
      }
      if (zi > 0 && rng.chance(0.3)) {
        intersectionSignals(zi, wi);
      }
      signs(rng.range(1, 3), 6, 50, 0.6 + lawn * 0.25);
      if (rng.chance(0.08) && zi > 0 && video == null) {
        train(rng.uniform(-5, 5), zi + wi / 2, Math.PI / 2);
      }
      for (double z = rng.uniform(8, 25); z < 120; z += rng.uniform(30, 45)) {
        streetLamp(rightEdge(z) + 0.5, z, 6.5, 1, rng.chance(0.5));
      }
    }

    private void parkingLot() {
      Item g = ground();
      Color asphalt = spec.palette.asphalt();
      Color paint = spec.palette.paint();
      // the whole lot is paved; aisles are drivable, stalls are not
      Color stalls =
          spec.weather.equals("snowy") ? spec.palette.terrain() : Shapes.shade(asphalt, 1.05);
      if (roadside()) {
        g.fill(strip(z -> -90, z -> 90, 0.5, 140), stalls, Canvas.PAVEMENT);
      }
      double aisle = layout().uniform(6.0, 7.0);
      double stall = 5.2;
      double offset = layout().uniform(-1.0, 1.0);
      double pitch = aisle + 2 * stall;
      double crossZ = rng.uniform(30, 60);
      if (roadside()) {
        g.fill(strip(z -> -90, z -> 90, crossZ, crossZ + 7), asphalt, Canvas.ROAD_ALT);
        for (int k = -3; k <= 3; k++) {
          double xc = offset + k * pitch;
          int id = k == 0 ? Canvas.ROAD_DIRECT : Canvas.ROAD_ALT;
          g.fill(strip(z -> xc - aisle / 2, z -> xc + aisle / 2, 0.5, 140), asphalt, id);
        }
      }
      // stall lines: painted but not lane markings
      if (!canvas.flat && roadside()) {
        for (int k = -3; k <= 3; k++) {
          double xc = offset + k * pitch;
          for (int side : new int[] {-1, 1}) {
            double x0 = xc + side * aisle / 2;
            double x1 = xc + side * (aisle / 2 + 2 * stall);
            for (double z = 2; z < 110; z += 2.7) {
              if (z > crossZ - 1 && z < crossZ + 8) {
                continue;
              }
              g.colour(strip(q -> Math.min(x0, x1), q -> Math.max(x0, x1), z, z + 0.12), paint);
            }
          }
        }
      }
      Scenery sc = new Scenery(this);
      double storeZ = rng.uniform(110, 140);
      if (anchored()) {
        sc.storefront(storeZ);
      }
      if (!roadside()) {
        return;
      }
      // parked cars in stalls, perpendicular to the aisle
      double fill = rng.uniform(0.2, 0.6);
      for (int k = -1; k <= 1; k++) {
        double xc = offset + k * pitch;
        for (int side : new int[] {-1, 1}) {
          for (int row = 0; row < 2; row++) {
            double x = xc + side * (aisle / 2 + stall / 2 + row * stall);
            for (double z = 3.35; z < 60; z += 2.7) {
              if (z > crossZ - 1 && z < crossZ + 8) {
                continue;
              }
              if (!rng.chance(fill) || Math.abs(x) / z > 2.5 && z < 4) {
                continue;
              }
              Item it = object(Math.hypot(x, z), "car");
              Shapes.Body body =
                  rng.pick(
                      List.of(
                          Shapes.Body.SEDAN, Shapes.Body.SUV, Shapes.Body.HATCH, Shapes.Body.VAN));
              double yaw = side * Math.PI / 2 * (row == 0 ? 1 : -1) + rng.uniform(-0.06, 0.06);
              shapes.vehicle(it, it.objectId, body, x, z + 1.35, yaw, carColour(), false, false);
            }
          }
        }
      }
      for (int i = rng.range(0, 4); i > 0; i--) {
        double z = rng.uniform(5, 40);
        double x = offset + rng.uniform(-aisle, aisle);
        if (video != null) {
          // out of the ego's aisle: walking along the parked cars
          x = offset + Math.copySign(aisle / 2 + 0.6, x - offset);
        }
        pedestrian(x, z, rng.chance(0.5));
      }
      if (rng.chance(0.4) && video == null) {
        double z = rng.uniform(15, 40);
        Item it = object(z, "car");
        shapes.vehicle(
            it,
            it.objectId,
            Shapes.Body.SEDAN,
            offset + rng.uniform(-1, 1),
            z,
            rng.chance(0.5) ? 0 : Math.PI,
            carColour(),
            lit,
            true);
      }
      for (int k = -2; k <= 2; k++) {
        for (double z = 12; z < 100; z += 30) {
          streetLamp(offset + k * pitch + aisle / 2 + stall * 2, z, 9, 1, false);
        }
      }
      signs(rng.range(0, 2), 6, 30, 0.5);
    }

    private void tunnel() {
      // video: the exit stays zExit ahead (sections stop there), so the scene stays a tunnel
      double zExit = layout().uniform(60, 140);
      if (roadside()) {
        road(zExit + 40, true, -1, 0);
        Color walk = new Color(120, 118, 112);
        pavement(z -> rightEdge(z), z -> rightEdge(z) + 1.0, 0.5, zExit, walk);
        pavement(z -> leftEdge(z) - 1.0, z -> leftEdge(z), 0.5, zExit, walk);
        Scenery sc = new Scenery(this);
        sc.tunnel(zExit);
      }
      spec.tunnelExit = zExit;
      if (anchored()) {
        java.awt.geom.Point2D.Double a = cam.project(leftEdge(zExit) - 1.0, 5.8, zExit);
        java.awt.geom.Point2D.Double b = cam.project(rightEdge(zExit) + 1.0, 0, zExit);
        spec.exitArea =
            new Rectangle((int) a.x, (int) a.y, (int) (b.x - a.x) + 1, (int) (b.y - a.y) + 1);
      }
      traffic(rng.range(1, 5), Math.min(110, zExit + 20), 0.2, 0.05, 0.02);
      if (rng.chance(0.5) && roadside()) {
        signs(1, 10, Math.min(50, zExit - 10), -0.4);
      }
    }

    private void gasStation() {
      int side = layout().chance(0.65) ? 1 : -1;
      Scenery sc = new Scenery(this);
      if (roadside()) {
        road(260, true, -1, 0);
      }
      if (anchored()) {
        sc.hills();
      }
      double z0 = layout().uniform(10, 30);
      double depth = layout().uniform(25, 35);
      double inner = 0.0;
      double outer = layout().uniform(22, 30);
      if (!roadside()) {
        traffic(rng.range(1, 4), 100, 0.1, 0.03, 0.03);
        return;
      }
      if (video != null) {
        // one station per clip, in the section the ego approaches over the clip
        if (video.section == GAS_STATION_SECTION) {
          gasStationSite(side, z0, depth, inner, outer, sc);
        }
        sc.treeLine(side, 34, 0, 220);
        signs(rng.range(0, 2), 6, 40, 1.0);
        return;
      }
      gasStationSite(side, z0, depth, inner, outer, sc);
    }

    /** Video: the road section that holds the clip's gas station. */
    static final long GAS_STATION_SECTION = 1;

    /** The station with its forecourt, pumps and customers, then the rest of the scene. */
    private void gasStationSite(
        int side, double z0, double depth, double inner, double outer, Scenery sc) {
      // forecourt: paved and drivable as an alternative
      Item g = ground();
      g.fill(
          strip(
              z -> (side > 0 ? rightEdge(z) + inner : leftEdge(z) - outer),
              z -> (side > 0 ? rightEdge(z) + outer : leftEdge(z) - inner),
              z0,
              z0 + depth),
          Shapes.shade(spec.palette.asphalt(), 1.15),
          Canvas.ROAD_ALT);
      pavement(
          z -> side > 0 ? rightEdge(z) : leftEdge(z) - 2.0,
          z -> side > 0 ? rightEdge(z) + 2.0 : leftEdge(z),
          0.5,
          z0,
          spec.palette.sidewalk());
      double xIn = side > 0 ? rightEdge(z0) + 6 : leftEdge(z0) - 6 - 14;
      sc.gasStation(side, xIn, z0 + 4, 14, depth - 10);
      if (video == null) {
        sc.treeLine(side, 34, z0 + depth + 5, 220);
        traffic(rng.range(1, 4), 100, 0.1, 0.03, 0.03);
      }
      // cars at the pumps
      for (int i = 0; i < 4; i++) {
        if (rng.chance(0.45)) {
          continue;
        }
        double x = xIn + 2.5 + (i % 2) * 8.0 + rng.uniform(-0.3, 0.3);
        double z = z0 + 4 + 4 + (i / 2) * 7.0;
        Item it = object(z, "car");
        shapes.vehicle(
            it,
            it.objectId,
            rng.pick(List.of(Shapes.Body.SEDAN, Shapes.Body.SUV, Shapes.Body.VAN)),
            x,
            z,
            rng.chance(0.5) ? 0 : Math.PI,
            carColour(),
            false,
            false);
      }
      for (int i = rng.range(0, 2); i > 0; i--) {
        pedestrian(xIn + rng.uniform(0, 14), z0 + rng.uniform(4, 16), rng.chance(0.5));
      }
      if (video == null) {
        signs(rng.range(0, 2), 6, 40, 1.0);
      }
    }

    private void hood() {
      int w = cam.width;
      int h = cam.height;
      double top = h * (1 - spec.hood);
      Path2D.Double p = new Path2D.Double();
      p.moveTo(-w * 0.2, h * 1.2);
      p.lineTo(-w * 0.2, top + h * 0.05);
      p.curveTo(w * 0.2, top, w * 0.8, top, w * 1.2, top + h * 0.05);
      p.lineTo(w * 1.2, h * 1.2);
      p.closePath();
      Item it = Item.scenery(0);
      int id = canvas.scenery(Canvas.DepthKind.FIXED, 1.0);
      Color paint = Shapes.shade(carColour(), 0.6);
      it.fill(p, paint, id);
      it.colour(
          new Ellipse2D.Double(w * 0.3, top + h * 0.01, w * 0.4, h * 0.02),
          Shapes.shade(paint, 1.5));
      foreground.add(it);
    }
  }
}
