package dev.hydrastream.data.render;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * One build of a scene: the items that a {@link SceneBuilder} makes for a dataset frame or for one
 * pass of a video frame, and what the builder and the helpers it composes share while making them
 * (spec, random stream, canvas, road, object ids).
 *
 * <p>Builder and helpers all draw from the build's one stream, in the order the builder calls them:
 * that order is what makes a seed give the same scene on every run, so a change to it changes the
 * synthetic data.
 */
final class SceneBuild {
  final SceneSpec spec;
  final Rng rng;
  final Canvas canvas;
  final Camera cam;
  final Shapes shapes;
  final Vehicles vehicles;
  final Figures figures;
  final TrafficSigns signs;

  /** The video pass being built, or null for a dataset frame (a whole independent scene). */
  final VideoPass video;

  final boolean night;

  /** Whether lamps and lights are on: at night and at dusk. */
  final boolean lit;

  final Road road;
  final RoadSurface surface;
  final Traffic traffic;
  final People people;
  final StreetFurniture furniture;
  final Scenery scenery;

  /** Everything drawn in depth order (far to near) after the ground. */
  final List<Item> items = new ArrayList<>();

  /** Road surfaces and markings: drawn over the terrain before all items. */
  final List<Item> groundItems = new ArrayList<>();

  /** Drawn after all items (the ego's hood). */
  final List<Item> foreground = new ArrayList<>();

  private int nextObject;

  SceneBuild(SceneSpec spec, Rng rng, Canvas canvas) {
    this(spec, rng, canvas, null, Canvas.FIRST_OBJECT);
  }

  /**
   * A build for one pass of a video frame.
   *
   * @param firstObject first object id, so that passes drawn into one canvas do not collide
   */
  SceneBuild(SceneSpec spec, Rng rng, Canvas canvas, VideoPass video, int firstObject) {
    this.spec = spec;
    this.rng = rng;
    this.canvas = canvas;
    this.cam = spec.camera;
    this.shapes = new Shapes(cam);
    this.vehicles = new Vehicles(cam);
    this.figures = new Figures(cam);
    this.signs = new TrafficSigns(cam);
    this.video = video;
    this.nextObject = firstObject;
    this.night = spec.night();
    this.lit = spec.lit();
    this.road = new Road(spec);
    this.surface = new RoadSurface(this);
    this.traffic = new Traffic(this);
    this.people = new People(this);
    this.furniture = new StreetFurniture(this);
    this.scenery = new Scenery(this);
  }

  /**
   * Builds the scene type's items, then the hood (which keeps its place in the image); for a
   * randomized frame also extra objects of rare classes and unlabelled clutter.
   */
  void build() {
    SceneBuilder.of(spec.scene).build(this);
    if (spec.dr != null) {
      new Extras(this).add();
      new Clutter(this).add();
      Hood.addRandomized(this);
    } else if (spec.hood > 0 && anchored()) {
      Hood.add(this);
    }
  }

  // ------------------------------------------------------------ video passes

  /** Whether this build makes the static roadside (always, for datasets). */
  boolean roadside() {
    return video == null || video.kind == VideoPass.Kind.SECTION;
  }

  /** Whether this build makes what keeps its distance from a moving camera. */
  boolean anchored() {
    return video == null || video.kind == VideoPass.Kind.ANCHORED;
  }

  /** Whether this build makes the traffic in lanes. */
  boolean moving() {
    return video == null || video.kind == VideoPass.Kind.TRAFFIC;
  }

  /**
   * The stream for clip-wide road layout (sidewalk width, aisles): in video every section must draw
   * the same layout, so it has its own stream; for datasets it is the frame's stream.
   */
  Rng layout() {
    return video == null ? rng : video.layout;
  }

  /**
   * The street crossing this scene (dataset) or road section (video) between zMin and zMax, of a
   * width between wMin and wMax, or none (whose width is drawn all the same).
   */
  Road.Crossing crossing(double zMin, double zMax, double wMin, double wMax) {
    double z = intersectionHere() ? rng.uniform(zMin, zMax) : -1;
    return new Road.Crossing(z, rng.uniform(wMin, wMax));
  }

  private boolean intersectionHere() {
    if (video == null) {
      return spec.intersection;
    }
    // a city block every section or so where the scene has intersections, a few elsewhere
    return rng.chance(spec.intersection ? 0.6 : 0.15);
  }

  // ------------------------------------------------------------ items

  /** A new item of the ground layer. */
  Item ground() {
    Item g = Item.scenery(1e9);
    groundItems.add(g);
    return g;
  }

  /** A new labelled object at {@code depth}, with the next object id. */
  Item object(double depth, String category) {
    Item it = new Item(depth, nextObject++, category);
    items.add(it);
    return it;
  }

  /** The id the next {@link #object} gets. */
  int nextObjectId() {
    return nextObject;
  }

  /** Adds a finished scenery item (its place in {@link #items} orders equal depths). */
  void add(Item scenery) {
    items.add(scenery);
  }

  // ------------------------------------------------------------ drawing

  /** Sky, terrain, road surface and markings: drawn before all items. */
  void drawGround() {
    int w = cam.width;
    int h = cam.height;
    Rectangle2D.Double sky = new Rectangle2D.Double(-w, -h, 3 * w, cam.horizon + h + 2);
    Sky.paint(canvas, spec, sky, rng);
    Rectangle2D.Double terrain = new Rectangle2D.Double(-w, cam.horizon, 3 * w, 2 * h);
    canvas.fill(terrain, spec.palette.terrain(), Canvas.TERRAIN);
    for (Item g : groundItems) {
      g.draw(canvas);
    }
  }

  void drawForeground() {
    for (Item f : foreground) {
      f.draw(canvas);
    }
  }
}
