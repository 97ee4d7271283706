package dev.hydrastream.data.render;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.labels.FrameLabels;
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
  private final Labeller labeller;

  /** Whether frames are domain-randomized ({@link Randomization}). */
  private final boolean randomized;

  /**
   * A frame drawn but not lit yet.
   *
   * @param rng the frame's stream, where the effects go on drawing
   * @param items everything drawn after the ground, far to near
   * @param silhouettes of the objects drawn
   */
  record Drawn(
      SceneSpec spec,
      Rng rng,
      Canvas canvas,
      List<Item> items,
      List<Labeller.Silhouette> silhouettes) {}

  /** A renderer of domain-randomized frames (the default for datasets). */
  public SceneRenderer(int width, int height) {
    this(width, height, true);
  }

  /**
   * @param randomized domain randomization on ({@link Randomization}: textures, colours, sky and
   *     sun, clutter, extra objects of rare classes, hood or dashboard, lens and sensor), or the
   *     plain frames of earlier datasets: a seed gives the same scene layout either way, except for
   *     the extra objects
   */
  public SceneRenderer(int width, int height, boolean randomized) {
    checkSize(width, height);
    this.width = width;
    this.height = height;
    this.labeller = new Labeller(width, height);
    this.randomized = randomized;
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
    Drawn d = draw(seed, index, flat, onlyObject);
    SceneSpec spec = d.spec();
    Canvas canvas = d.canvas();
    List<DetLabel> labels = labeller.labels(canvas, d.silhouettes());
    Labeller.Masks masks = labeller.masks(canvas);
    byte[] bgr =
        flat
            ? Sensor.toBgr(canvas.rgb)
            : new Effects(spec, canvas, d.rng(), d.rng(), false)
                .apply(d.items(), new byte[width * height * 3]);
    canvas.dispose();
    FrameLabels frameLabels = new FrameLabels("", spec.weather, spec.scene, spec.timeofday, labels);
    return new RenderedFrame(
        width,
        height,
        bgr,
        frameLabels,
        masks.drivable(),
        masks.lane(),
        spec.jpegQuality,
        spec.blurSigma,
        spec.motionBlur,
        keepIds ? canvas.ids : null);
  }

  /** Samples, builds and draws frame {@code index} of {@code seed}, up to the effects. */
  Drawn draw(long seed, long index, boolean flat, int onlyObject) {
    Rng rng = new Rng(seed, index);
    SceneSpec spec = SceneSpec.sample(rng, width, height);
    if (randomized) {
      spec.dr = Randomization.sample(spec, Rng.independent(seed, index, Randomization.SALT));
    }
    Canvas canvas = new Canvas(width, height, spec.camera.roll, flat);
    SceneBuild scene = new SceneBuild(spec, rng, canvas);
    scene.build();

    List<Item> items = new ArrayList<>(scene.items);
    items.sort(Comparator.comparingDouble((Item i) -> -i.depth));
    List<Labeller.Silhouette> silhouettes = new ArrayList<>();
    if (onlyObject < 0) {
      scene.drawGround();
    }
    for (Item item : items) {
      if (onlyObject >= 0 && item.objectId != onlyObject) {
        continue;
      }
      if (item.isObject()) {
        canvas.objectDepth(item.objectId, item.depth);
        silhouettes.add(labeller.silhouette(canvas, item));
      }
      item.draw(canvas);
    }
    if (onlyObject < 0) {
      scene.drawForeground();
    }
    return new Drawn(spec, rng, canvas, items, silhouettes);
  }
}
