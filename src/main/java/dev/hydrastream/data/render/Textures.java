package dev.hydrastream.data.render;

/**
 * Procedural surface textures for domain randomization: every element of the drawn image (found
 * through the id buffer) gets its own random pattern, modulating its colour before lighting. The
 * ground is textured in world coordinates (asphalt grain and patches, paving joints, grass), so its
 * pattern recedes with perspective and fine octaves fade where a pixel covers more than they
 * resolve; walls, objects and the sky in image coordinates, scaled by their depth.
 *
 * <p>Colour only: ids, lane buffer and therefore labels are untouched.
 */
final class Textures {
  private static final byte UNSET = 0;
  private static final byte GROUND = 1;
  private static final byte SCREEN = 2;

  // patterns
  private static final byte NOISE = 0;
  private static final byte TILES = 1;
  private static final byte BANDS = 2;

  private final Camera cam;
  private final Randomization dr;
  private final Canvas canvas;
  private final int seed;

  // per element id, drawn when first seen
  private final byte[] space = new byte[Canvas.MAX_ID];
  private final byte[] pattern = new byte[Canvas.MAX_ID];
  private final float[] cell = new float[Canvas.MAX_ID];
  private final float[] amp = new float[Canvas.MAX_ID];
  private final float[] grain = new float[Canvas.MAX_ID];
  private final float[] tintR = new float[Canvas.MAX_ID];
  private final float[] tintB = new float[Canvas.MAX_ID];
  private final float[] tile = new float[Canvas.MAX_ID];

  Textures(SceneSpec spec, Canvas canvas) {
    this.cam = spec.camera;
    this.dr = spec.dr;
    this.canvas = canvas;
    this.seed = (int) (dr.textureSeed ^ (dr.textureSeed >>> 32));
  }

  /** Textures the colour image of the canvas in place. */
  void apply() {
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    int[] ids = canvas.ids;
    double px = w / 1280.0;
    for (int y = 0; y < h; y++) {
      double z = cam.groundDepth(y + 0.5);
      double footprint = Double.isFinite(z) ? z / cam.focal : Double.POSITIVE_INFINITY;
      int row = y * w;
      // the smooth pattern changes little from one pixel to the next: it is computed at every
      // other pixel of a run of one element and reused at the next (grain is per pixel)
      int lastId = -1;
      double lastN = 0;
      for (int x = 0; x < w; x++) {
        int p = row + x;
        int id = ids[p] & 0xFFFF;
        if (space[id] == UNSET) {
          init(id, px);
        }
        float a = amp[id];
        float g = grain[id];
        if (a <= 0 && g <= 0) {
          continue;
        }
        double n;
        if (id == lastId && (x & 1) == 1) {
          n = lastN;
        } else if (space[id] == GROUND) {
          if (!Double.isFinite(z)) {
            continue;
          }
          double wx = (x + 0.5 - cam.cx) * footprint;
          n = ground(id, wx, z, footprint);
        } else {
          n = screen(id, x, y);
        }
        lastId = id;
        lastN = n;
        if (g > 0) {
          n += g * (hash(x, y, seed ^ id) - 0.5);
        }
        int c = rgb[p];
        double k = 2 * n;
        int r = clamp(((c >> 16) & 255) * (1 + k * tintR[id]));
        int gg = clamp(((c >> 8) & 255) * (1 + k));
        int b = clamp((c & 255) * (1 + k * tintB[id]));
        rgb[p] = (r << 16) | (gg << 8) | b;
      }
    }
  }

  /** Draws the pattern of element {@code id} from the frame's texture seed. */
  private void init(int id, double px) {
    boolean road = id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT;
    // both road ids share one asphalt
    Rng r = new Rng(seed, road ? Canvas.ROAD_DIRECT : id);
    double t = dr.texture;
    Canvas.DepthKind kind = canvas.depthKind[id];
    tintR[id] = (float) r.uniform(0.8, 1.2);
    tintB[id] = (float) r.uniform(0.8, 1.2);
    pattern[id] = NOISE;
    if (kind == Canvas.DepthKind.GROUND) {
      space[id] = GROUND;
      if (road) {
        cell[id] = (float) r.uniform(2, 14);
        amp[id] = (float) (t * r.uniform(0.04, 0.3));
        grain[id] = (float) (t * r.uniform(0, 0.12));
      } else if (id == Canvas.PAVEMENT) {
        cell[id] = (float) r.uniform(1, 8);
        amp[id] = (float) (t * r.uniform(0.04, 0.3));
        grain[id] = (float) (t * r.uniform(0, 0.1));
        if (r.chance(0.5)) {
          pattern[id] = TILES;
          tile[id] = (float) r.uniform(0.3, 1.2);
        }
      } else {
        cell[id] = (float) r.uniform(1, 10);
        amp[id] = (float) (t * r.uniform(0.1, 0.45));
        grain[id] = (float) (t * r.uniform(0.05, 0.3));
      }
      return;
    }
    space[id] = SCREEN;
    if (kind == null || kind == Canvas.DepthKind.INFINITE) {
      // sky: a faint large-scale unevenness
      cell[id] = (float) (r.uniform(60, 260) * px);
      amp[id] = (float) (t * r.uniform(0, 0.06));
      return;
    }
    boolean object = id >= Canvas.FIRST_OBJECT;
    double depth = kind == Canvas.DepthKind.FIXED ? Math.max(1, canvas.depthParam[id]) : 20;
    double metres = object ? r.uniform(0.15, 1.0) : r.uniform(0.1, 3.0);
    cell[id] = (float) Math.max(1.5, metres * cam.focal / depth);
    amp[id] = (float) (t * (object ? r.uniform(0, 0.15) : r.uniform(0.03, 0.4)));
    grain[id] = (float) (t * (object ? r.uniform(0, 0.06) : r.uniform(0, 0.25)));
    if (!object && r.chance(0.3)) {
      pattern[id] = BANDS;
      tile[id] = (float) Math.max(2, r.uniform(0.15, 0.6) * cam.focal / depth);
    }
  }

  /** Pattern value (about -0.5..0.5) of a ground element at world (x, z). */
  private double ground(int id, double x, double z, double footprint) {
    double c = cell[id];
    double n = 0;
    double weight = 1;
    double total = 0;
    for (int octave = 0; octave < 3; octave++, c /= 4, weight *= 0.6) {
      // an octave whose cells span fewer than two pixels would only alias: fade it out
      double resolved = Math.min(1, Math.max(0, c / footprint / 2 - 1));
      if (resolved <= 0) {
        break;
      }
      n += weight * resolved * (noise(x / c, z / c, seed + octave * 7919 + id) - 0.5);
      total += weight;
    }
    n = total > 0 ? n / total * amp[id] : 0;
    if (pattern[id] == TILES) {
      double s = tile[id];
      double joint = 0.03;
      double fx = x / s - Math.floor(x / s);
      double fz = z / s - Math.floor(z / s);
      if ((fx < joint || fz < joint) && s / footprint > 6) {
        n -= 0.15;
      }
    }
    return n;
  }

  /** Pattern value of an element in image coordinates. */
  private double screen(int id, int x, int y) {
    double c = cell[id];
    double n =
        0.7 * (noise(x / c, y / c, seed + id) - 0.5)
            + 0.3 * (noise(x * 3 / c, y * 3 / c, seed + 31 * id) - 0.5);
    n *= amp[id];
    if (pattern[id] == BANDS) {
      double s = tile[id];
      double f = y / s - Math.floor(y / s);
      if (f < 0.15) {
        n -= 0.5 * amp[id];
      }
    }
    return n;
  }

  /** Smooth value noise in 0..1 at (x, y). */
  static double noise(double x, double y, int seed) {
    int xi = (int) Math.floor(x);
    int yi = (int) Math.floor(y);
    double fx = x - xi;
    double fy = y - yi;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    double a = hash(xi, yi, seed);
    double b = hash(xi + 1, yi, seed);
    double c = hash(xi, yi + 1, seed);
    double d = hash(xi + 1, yi + 1, seed);
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  }

  /** A hash of a lattice point, uniform in 0..1. */
  static double hash(int x, int y, int seed) {
    int h = x * 0x27D4EB2D + y * 0x165667B1 + seed * 0x61C88647;
    h = (h ^ (h >>> 15)) * 0x2C1B3C6D;
    h = (h ^ (h >>> 12)) * 0x297A2D39;
    h ^= h >>> 15;
    return (h & 0xFFFFFF) / (double) (1 << 24);
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }
}
