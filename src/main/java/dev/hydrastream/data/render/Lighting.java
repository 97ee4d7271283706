package dev.hydrastream.data.render;

/**
 * Lights the drawn image, per pixel: ambient level, tint and contrast for the weather and time of
 * day, a tunnel's own light, the ego's headlight cone, the sheen of a wet road and fog that
 * thickens with depth. A pixel's depth comes from the element that owns it in the id buffer (its
 * {@link Canvas.DepthKind}), so fog follows the scene's geometry.
 *
 * <p>Dataset and video frames are lit by this one class: the same model (every level, colour and
 * reach below) and the same depths. What differs is only how the arithmetic is carried out, the
 * {@link Precision}, which changes pixels by rounding. Both evaluations are kept exactly as they
 * were when the datasets and the model card were made, so frames of a seed stay the same; {@code
 * PrecisionTest} checks that they still agree with each other.
 */
final class Lighting {

  /** How the model is evaluated. */
  enum Precision {
    /** Datasets: in double precision, every pixel on its own. */
    EXACT,
    /**
     * Video: in float, several times faster. Light and fog are worked out once per run of pixels of
     * one element (per image row for ground and ceiling); only pixels in the headlight beam or on
     * walls along the road are done one by one. Lamp pixels marked {@link Canvas#EMISSIVE} keep
     * their colour.
     */
    FAST
  }

  /** Depth, metres, of pixels without a finite one (in the sky, at the horizon). */
  private static final double FAR = 2000;

  /** Grey level that contrast turns about. */
  private static final int MID_GREY = 110;

  // headlights: gain on the beam axis, its fall-off length and reach (metres), and the cone's
  // half-width at the car and its growth per metre
  private static final double BEAM_GAIN = 1.1;
  private static final double BEAM_FALLOFF = 22;
  private static final double BEAM_REACH = 70;
  private static final double SPREAD = 1.6;
  private static final double SPREAD_PER_METRE = 0.28;

  // wet road: the brightest sheen (grey levels, at the bottom of the image) and more for blue
  private static final int WET_SHINE = 55;
  private static final double WET_BLUE = 1.05;

  /** Weight of the fog colour over the sky in fog. */
  private static final double SKY_FOG = 0.75;

  private static final int EXP_STEPS = 4096;
  private static final double EXP_MAX = 16;
  private static final float[] EXP_NEG = expTable();

  private final Camera cam;
  private final boolean night;
  private final double ambient;
  private final double[] tint;
  private final double contrast;
  private final boolean tunnel;

  /** Depth of a tunnel's exit: nearer pixels have the tunnel's light (0 outside tunnels). */
  private final double zExit;

  private final double tunnelAmbient;
  private final double[] tunnelTint;
  private final int[] fog;
  private final boolean foggy;
  private final boolean wet;

  /** Headlight strength: full at night, a little at dusk. */
  private final double headlights;

  /** Wet-road sheen factor: weaker at night. */
  private final double shine;

  private final double visibility;

  Lighting(SceneSpec spec) {
    this.cam = spec.camera;
    this.night = spec.night();
    boolean dusk = spec.dusk();
    // ambient level and contrast by weather
    double[] weather =
        switch (spec.weather) {
          case "overcast" -> new double[] {0.86, 0.78};
          case "rainy" -> new double[] {0.68, 0.75};
          case "snowy" -> new double[] {0.95, 0.8};
          case "foggy" -> new double[] {0.9, 0.7};
          case "partly cloudy" -> new double[] {0.97, 0.95};
          default -> new double[] {1.04, 1.08};
        };
    double level = weather[0];
    if (night) {
      level *= 0.17;
      tint = new double[] {0.85, 0.92, 1.18};
    } else if (dusk) {
      level *= 0.62;
      tint = new double[] {1.12, 0.95, 0.82};
    } else {
      tint = new double[] {1, 1, 1};
    }
    this.ambient = level;
    this.contrast = weather[1];
    this.tunnel = spec.scene.equals("tunnel");
    this.zExit = tunnel ? spec.tunnelExit : 0;
    this.tunnelAmbient = night ? 0.42 : 0.5;
    this.tunnelTint = spec.sodium ? new double[] {1.2, 0.95, 0.62} : new double[] {0.98, 1.0, 1.06};
    this.fog = fogColour(spec.weather, night, dusk);
    this.foggy = spec.weather.equals("foggy");
    this.wet = spec.weather.equals("rainy");
    this.headlights = night ? 1.0 : dusk ? 0.35 : 0.0;
    this.shine = night ? 0.3 : 1;
    this.visibility = spec.fogVisibility;
  }

  private static int[] fogColour(String weather, boolean night, boolean dusk) {
    if (night) {
      return weather.equals("foggy") ? new int[] {70, 68, 66} : new int[] {30, 30, 36};
    }
    if (dusk) {
      return new int[] {185, 165, 155};
    }
    return switch (weather) {
      case "snowy" -> new int[] {215, 218, 224};
      case "rainy" -> new int[] {145, 148, 152};
      default -> new int[] {198, 201, 205};
    };
  }

  private static float[] expTable() {
    float[] t = new float[EXP_STEPS + 1];
    for (int i = 0; i <= EXP_STEPS; i++) {
      t[i] = (float) Math.exp(-EXP_MAX * i / EXP_STEPS);
    }
    return t;
  }

  /** exp(-x) for x >= 0 from a table. */
  static float expNeg(double x) {
    if (x >= EXP_MAX) {
      return 0f;
    }
    return EXP_NEG[(int) (x * (EXP_STEPS / EXP_MAX))];
  }

  /** Lights the colour image of {@code canvas} in place. */
  void apply(Canvas canvas, Precision precision) {
    if (precision == Precision.EXACT) {
      exact(canvas);
    } else {
      fast(canvas);
    }
  }

  // ------------------------------------------------------------ shared by both evaluations

  /** Depth of the ground seen in image row y. */
  private double groundDepth(int y) {
    return orFar(cam.groundDepth(y + 0.5));
  }

  /** Depth of a tunnel's ceiling seen in image row y. */
  private double ceilingDepth(int y) {
    return y + 0.5 < cam.horizon
        ? cam.focal * (Scenery.TUNNEL_CEILING - cam.camHeight) / (cam.horizon - y - 0.5)
        : FAR;
  }

  /** Wet-road sheen of image row y, 0..1: strongest at the bottom. */
  private double wetShine(int y) {
    return wet ? Math.max(0, 1 - (y - cam.horizon) / (cam.height - cam.horizon)) : 0;
  }

  private static double orFar(double d) {
    return !(d > 0) || Double.isInfinite(d) ? FAR : d;
  }

  /** The share of fog colour in a pixel at depth d. */
  private double fogAt(double d) {
    return 1 - expNeg(d / visibility);
  }

  /** A sky pixel: fog hides it mostly (the sum is exact in float and double alike). */
  private int foggySky(int c) {
    int r = (int) (((c >> 16) & 255) * (1 - SKY_FOG) + fog[0] * SKY_FOG);
    int g = (int) (((c >> 8) & 255) * (1 - SKY_FOG) + fog[1] * SKY_FOG);
    int b = (int) ((c & 255) * (1 - SKY_FOG) + fog[2] * SKY_FOG);
    return (r << 16) | (g << 8) | b;
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  // ------------------------------------------------------------ EXACT

  private void exact(Canvas canvas) {
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    int[] ids = canvas.ids;
    double[] invDx = new double[w];
    for (int x = 0; x < w; x++) {
      double dx = x + 0.5 - cam.cx;
      invDx[x] = Math.abs(dx) < 0.5 ? 1e9 : cam.focal / dx;
    }
    for (int y = 0; y < h; y++) {
      double groundDepth = groundDepth(y);
      double ceilingDepth = ceilingDepth(y);
      double wetShine = wetShine(y);
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int id = ids[p] & 0xFFFFFF;
        Canvas.DepthKind kind = canvas.depthKind[id];
        int c = rgb[p];
        if (kind == null || kind == Canvas.DepthKind.INFINITE) {
          rgb[p] = foggy ? foggySky(c) : c & 0xFFFFFF;
          continue;
        }
        double d =
            orFar(
                switch (kind) {
                  case GROUND -> groundDepth;
                  case PLANE_X -> Math.abs(canvas.depthParam[id] * invDx[x]);
                  case PLANE_Y -> ceilingDepth;
                  default -> canvas.depthParam[id];
                });
        double light = ambient;
        double tr = tint[0];
        double tg = tint[1];
        double tb = tint[2];
        if (tunnel && d < zExit) {
          light = tunnelAmbient;
          tr = tunnelTint[0];
          tg = tunnelTint[1];
          tb = tunnelTint[2];
        }
        if (headlights > 0 && d < BEAM_REACH) {
          double lateral = (x + 0.5 - cam.cx) * d / cam.focal;
          double spread = SPREAD + SPREAD_PER_METRE * d;
          light +=
              headlights
                  * BEAM_GAIN
                  * expNeg(d / BEAM_FALLOFF)
                  * expNeg(lateral * lateral / (spread * spread));
        }
        double mean = MID_GREY * light;
        double fr = mean + (((c >> 16) & 255) * light * tr - mean) * contrast;
        double fg = mean + (((c >> 8) & 255) * light * tg - mean) * contrast;
        double fb = mean + ((c & 255) * light * tb - mean) * contrast;
        if (wet && (id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT)) {
          double s = WET_SHINE * wetShine * wetShine * shine;
          fr += s;
          fg += s;
          fb += s * WET_BLUE;
        }
        double f = fogAt(d);
        fr = fr * (1 - f) + fog[0] * f;
        fg = fg * (1 - f) + fog[1] * f;
        fb = fb * (1 - f) + fog[2] * f;
        rgb[p] = (clamp(fr) << 16) | (clamp(fg) << 8) | clamp(fb);
      }
    }
  }

  // ------------------------------------------------------------ FAST

  // what decides an element's light in fast()
  private static final byte SKY = 0;
  private static final byte GROUND = 1;
  private static final byte FIXED = 2;
  private static final byte WALL = 3;
  private static final byte CEILING = 4;
  private static final byte LAMP = 5;

  private void fast(Canvas canvas) {
    float contrast = (float) this.contrast;
    int[] fog = this.fog;
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    int[] ids = canvas.ids;
    float zExit = (float) this.zExit;
    float tunnelAmbient = (float) this.tunnelAmbient;
    float headlights = (float) this.headlights;
    // per element: what decides its light and, for fixed depths, depth, fog and headlight reach
    int n = canvas.depthKind.length;
    byte[] kindOf = new byte[n];
    float[] depthOf = new float[n];
    float[] fogOf = new float[n];
    float[] beamOf = new float[n];
    float[] invSpreadOf = new float[n];
    for (int id = 0; id < n; id++) {
      Canvas.DepthKind k = canvas.depthKind[id];
      if (id == Canvas.EMISSIVE) {
        kindOf[id] = LAMP;
        continue;
      }
      if (k == null || k == Canvas.DepthKind.INFINITE) {
        continue;
      }
      kindOf[id] =
          switch (k) {
            case GROUND -> GROUND;
            case FIXED -> FIXED;
            case PLANE_X -> WALL;
            default -> CEILING;
          };
      if (k == Canvas.DepthKind.FIXED) {
        double d = orFar(canvas.depthParam[id]);
        depthOf[id] = (float) d;
        fogOf[id] = (float) fogAt(d);
        beamOf[id] = beam(headlights, d);
        invSpreadOf[id] = invSpread2(d);
      }
    }
    // lateral offset over depth of each column, for the headlight cone
    float[] slope = new float[w];
    float[] invDx = new float[w];
    for (int x = 0; x < w; x++) {
      double dx = x + 0.5 - cam.cx;
      slope[x] = (float) (dx / cam.focal);
      invDx[x] = (float) (Math.abs(dx) < 0.5 ? 1e9 : cam.focal / dx);
    }
    float ambient = (float) this.ambient;
    float[] tint = {(float) this.tint[0], (float) this.tint[1], (float) this.tint[2]};
    float[] tTint = {(float) tunnelTint[0], (float) tunnelTint[1], (float) tunnelTint[2]};
    float invVis = (float) (1 / visibility);
    for (int y = 0; y < h; y++) {
      float groundDepth = (float) groundDepth(y);
      float groundFog = (float) fogAt(groundDepth);
      float groundBeam = beam(headlights, groundDepth);
      float groundSpread = invSpread2(groundDepth);
      double cd = ceilingDepth(y);
      float ceilingDepth = (float) cd;
      float ceilingFog = (float) fogAt(cd);
      float ceilingBeam = beam(headlights, cd);
      float ceilingSpread = invSpread2(cd);
      float wetShine = (float) wetShine(y);
      float shine = WET_SHINE * wetShine * wetShine * (float) this.shine;
      int row = y * w;
      // consecutive pixels of one element share their light and fog: the per-pixel work is
      // then a multiply-add per channel (pixels in the headlight beam or on a wall vary)
      int lastId = -1;
      int kind = SKY;
      float d = 0;
      float f = 0;
      float beam = 0;
      float invSpread = 0;
      boolean perPixel = false;
      boolean stale = true;
      float ar = 0;
      float ag = 0;
      float ab = 0;
      float br = 0;
      float bg = 0;
      float bb = 0;
      for (int x = 0; x < w; x++) {
        int p = row + x;
        int id = ids[p] & 0xFFFF;
        if (id != lastId) {
          lastId = id;
          kind = kindOf[id];
          switch (kind) {
            case GROUND -> {
              d = groundDepth;
              f = groundFog;
              beam = groundBeam;
              invSpread = groundSpread;
            }
            case FIXED -> {
              d = depthOf[id];
              f = fogOf[id];
              beam = beamOf[id];
              invSpread = invSpreadOf[id];
            }
            case CEILING -> {
              d = ceilingDepth;
              f = ceilingFog;
              beam = ceilingBeam;
              invSpread = ceilingSpread;
            }
            default -> {}
          }
          perPixel = kind == WALL || kind != SKY && kind != LAMP && beam > 0;
          stale = true;
        }
        if (kind == LAMP) {
          continue;
        }
        if (kind == SKY) {
          if (foggy) {
            rgb[p] = foggySky(rgb[p]);
          }
          continue;
        }
        if (perPixel || stale) {
          stale = false;
          if (kind == WALL) {
            d = Math.abs(canvas.depthParam[id] * invDx[x]);
            f = 1 - expNeg(d * invVis);
            beam = beam(headlights, d);
            invSpread = invSpread2(d);
          }
          float light = ambient;
          float tr = tint[0];
          float tg = tint[1];
          float tb = tint[2];
          if (d < zExit) {
            // inside a tunnel (zExit is 0 elsewhere)
            light = tunnelAmbient;
            tr = tTint[0];
            tg = tTint[1];
            tb = tTint[2];
          }
          if (beam > 0) {
            float lateral = slope[x] * d;
            light += beam * expNeg(lateral * lateral * invSpread);
          }
          // out = (mean + c * k * t + shine) * (1 - f) + fog * f
          float keep = 1 - f;
          float mean = MID_GREY * light * (1 - contrast);
          float k = light * contrast * keep;
          float wetAdd = wet && (id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT) ? shine : 0;
          ar = k * tr;
          ag = k * tg;
          ab = k * tb;
          br = (mean + wetAdd) * keep + fog[0] * f;
          bg = (mean + wetAdd) * keep + fog[1] * f;
          bb = (mean + wetAdd * (float) WET_BLUE) * keep + fog[2] * f;
        }
        int c = rgb[p];
        rgb[p] =
            (clamp(((c >> 16) & 255) * ar + br) << 16)
                | (clamp(((c >> 8) & 255) * ag + bg) << 8)
                | clamp((c & 255) * ab + bb);
      }
    }
  }

  /** Headlight gain on the beam axis at depth d (0 beyond the beam's reach). */
  private static float beam(float headlights, double d) {
    return headlights > 0 && d < BEAM_REACH && d > 0
        ? (float) (headlights * BEAM_GAIN * expNeg(d / BEAM_FALLOFF))
        : 0;
  }

  /** 1 / spread^2 of the headlight cone at depth d. */
  private static float invSpread2(double d) {
    double spread = SPREAD + SPREAD_PER_METRE * d;
    return (float) (1 / (spread * spread));
  }
}
