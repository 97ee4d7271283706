package dev.hydrastream.data.render;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Light, weather and sensor effects applied to the colour image after geometry is drawn. None of
 * them touches the id or lane buffers, so labels stay true whatever the weather.
 */
final class Effects {
  private static final int EXP_STEPS = 4096;
  private static final double EXP_MAX = 16;
  private static final float[] EXP_NEG = expTable();

  private final SceneSpec spec;
  private final Canvas canvas;
  private final Rng rng;
  /** Windshield drops: the frame's stream for datasets, a clip-wide one for video (they stay). */
  private final Rng dropRng;
  /** Video frames: items may be behind the camera and light depths are section-local. */
  private final boolean video;
  private final boolean night;
  private final boolean dusk;
  private final double visibility;

  Effects(SceneSpec spec, Canvas canvas, Rng rng) {
    this(spec, canvas, rng, rng, false);
  }

  Effects(SceneSpec spec, Canvas canvas, Rng rng, Rng dropRng, boolean video) {
    this.spec = spec;
    this.canvas = canvas;
    this.rng = rng;
    this.dropRng = dropRng;
    this.video = video;
    this.night = spec.timeofday.equals("night");
    this.dusk = spec.timeofday.equals("dawn/dusk");
    this.visibility = spec.fogVisibility;
  }

  private static float[] expTable() {
    float[] t = new float[EXP_STEPS + 1];
    for (int i = 0; i <= EXP_STEPS; i++) {
      t[i] = (float) Math.exp(-EXP_MAX * i / EXP_STEPS);
    }
    return t;
  }

  /** exp(-x) for x >= 0 from a table. */
  private static float expNeg(double x) {
    if (x >= EXP_MAX) {
      return 0f;
    }
    return EXP_NEG[(int) (x * (EXP_STEPS / EXP_MAX))];
  }

  /** Fog colour for this weather and time of day. */
  private int[] fogColour() {
    if (night) {
      return spec.weather.equals("foggy") ? new int[] {70, 68, 66} : new int[] {30, 30, 36};
    }
    if (dusk) {
      return new int[] {185, 165, 155};
    }
    return switch (spec.weather) {
      case "snowy" -> new int[] {215, 218, 224};
      case "rainy" -> new int[] {145, 148, 152};
      default -> new int[] {198, 201, 205};
    };
  }

  /** Scene-wide light: ambient level, colour tint and contrast. */
  private record Ambient(double ambient, double[] tint, double contrast) {}

  private Ambient ambient() {
    double ambient;
    double[] tint;
    double contrast;
    switch (spec.weather) {
      case "overcast" -> { ambient = 0.86; contrast = 0.78; }
      case "rainy" -> { ambient = 0.68; contrast = 0.75; }
      case "snowy" -> { ambient = 0.95; contrast = 0.8; }
      case "foggy" -> { ambient = 0.9; contrast = 0.7; }
      case "partly cloudy" -> { ambient = 0.97; contrast = 0.95; }
      default -> { ambient = 1.04; contrast = 1.08; }
    }
    if (night) {
      ambient *= 0.17;
      tint = new double[] {0.85, 0.92, 1.18};
    } else if (dusk) {
      ambient *= 0.62;
      tint = new double[] {1.12, 0.95, 0.82};
    } else {
      tint = new double[] {1, 1, 1};
    }
    return new Ambient(ambient, tint, contrast);
  }

  /** Ambient light, tint, contrast and fog, per pixel, with depth from the id buffer. */
  void lighting() {
    Ambient a = ambient();
    double ambient = a.ambient();
    double[] tint = a.tint();
    double contrast = a.contrast();
    boolean tunnel = spec.scene.equals("tunnel");
    double tunnelAmbient = night ? 0.42 : 0.5;
    double[] tunnelTint = spec.sodium ? new double[] {1.2, 0.95, 0.62} : new double[] {0.98, 1.0, 1.06};
    int[] fog = fogColour();
    boolean foggy = spec.weather.equals("foggy");
    boolean wet = spec.weather.equals("rainy");
    Camera cam = spec.camera;
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    int[] ids = canvas.ids;
    double zExit = tunnel ? tunnelExit() : 0;
    double headlights = night || tunnel && !night ? (night ? 1.0 : 0.0) : 0.0;
    if (dusk) {
      headlights = 0.35;
    }
    double[] invDx = new double[w];
    for (int x = 0; x < w; x++) {
      double dx = x + 0.5 - cam.cx;
      invDx[x] = Math.abs(dx) < 0.5 ? 1e9 : cam.focal / dx;
    }
    for (int y = 0; y < h; y++) {
      double groundDepth = cam.groundDepth(y + 0.5);
      double ceilingDepth = y + 0.5 < cam.horizon ? cam.focal * (5.8 - cam.camHeight)
          / (cam.horizon - y - 0.5) : Double.POSITIVE_INFINITY;
      double wetShine = wet ? Math.max(0, 1 - (y - cam.horizon) / (h - cam.horizon)) : 0;
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int id = ids[p] & 0xFFFFFF;
        Canvas.DepthKind kind = canvas.depthKind[id];
        int c = rgb[p];
        int r = (c >> 16) & 255;
        int g = (c >> 8) & 255;
        int b = c & 255;
        if (kind == null || kind == Canvas.DepthKind.INFINITE) {
          if (foggy) {
            r = (int) (r * 0.25 + fog[0] * 0.75);
            g = (int) (g * 0.25 + fog[1] * 0.75);
            b = (int) (b * 0.25 + fog[2] * 0.75);
          }
          rgb[p] = (r << 16) | (g << 8) | b;
          continue;
        }
        double d = switch (kind) {
          case GROUND -> groundDepth;
          case PLANE_X -> Math.abs(canvas.depthParam[id] * invDx[x]);
          case PLANE_Y -> ceilingDepth;
          default -> canvas.depthParam[id];
        };
        if (!(d > 0) || Double.isInfinite(d)) {
          d = 2000;
        }
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
        if (headlights > 0 && d < 70) {
          double lateral = (x + 0.5 - cam.cx) * d / cam.focal;
          double spread = 1.6 + 0.28 * d;
          light += headlights * 1.1 * expNeg(d / 22) * expNeg(lateral * lateral / (spread * spread));
        }
        double mean = 110 * light;
        double fr = mean + (r * light * tr - mean) * contrast;
        double fg = mean + (g * light * tg - mean) * contrast;
        double fb = mean + (b * light * tb - mean) * contrast;
        if (wet && (id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT)) {
          double s = 55 * wetShine * wetShine * (night ? 0.3 : 1);
          fr += s;
          fg += s;
          fb += s * 1.05;
        }
        double f = 1 - expNeg(d / visibility);
        fr = fr * (1 - f) + fog[0] * f;
        fg = fg * (1 - f) + fog[1] * f;
        fb = fb * (1 - f) + fog[2] * f;
        rgb[p] = (clamp(fr) << 16) | (clamp(fg) << 8) | clamp(fb);
      }
    }
  }

  /**
   * Video frames: the lighting of {@link #lighting()} (ambient, tint, contrast, headlights, fog)
   * at a fraction of its cost: depth, fog and headlight reach are worked out once per image row
   * (ground, ceiling) or per element (fixed depth) instead of per pixel, in float; pixels differ
   * from the dataset path by rounding only. Exposure is applied by {@link #finishVideo}.
   */
  void lightVideo() {
    Ambient a = ambient();
    float contrast = (float) a.contrast();
    boolean tunnel = spec.scene.equals("tunnel");
    double[] tunnelTint = spec.sodium ? new double[] {1.2, 0.95, 0.62}
        : new double[] {0.98, 1.0, 1.06};
    int[] fog = fogColour();
    boolean foggy = spec.weather.equals("foggy");
    boolean wet = spec.weather.equals("rainy");
    Camera cam = spec.camera;
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    int[] ids = canvas.ids;
    float zExit = tunnel ? (float) tunnelExit() : 0;
    float tunnelAmbient = night ? 0.42f : 0.5f;
    float headlights = night ? 1.0f : dusk ? 0.35f : 0f;
    // per element: its kind (0 sky, 1 ground, 2 fixed depth, 3 plane x, 4 plane y) and, for
    // fixed depths, depth, fog and headlight reach
    int n = canvas.depthKind.length;
    byte[] kindOf = new byte[n];
    float[] depthOf = new float[n];
    float[] fogOf = new float[n];
    float[] beamOf = new float[n];
    float[] invSpreadOf = new float[n];
    for (int id = 0; id < n; id++) {
      Canvas.DepthKind k = canvas.depthKind[id];
      if (id == Canvas.EMISSIVE) {
        kindOf[id] = 5;
        continue;
      }
      if (k == null || k == Canvas.DepthKind.INFINITE) {
        continue;
      }
      kindOf[id] = (byte) switch (k) {
        case GROUND -> 1;
        case FIXED -> 2;
        case PLANE_X -> 3;
        default -> 4;
      };
      if (k == Canvas.DepthKind.FIXED) {
        double d = canvas.depthParam[id];
        d = d > 0 ? d : 2000;
        depthOf[id] = (float) d;
        fogOf[id] = (float) (1 - expNeg(d / visibility));
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
    float ambient = (float) a.ambient();
    float[] tint = {(float) a.tint()[0], (float) a.tint()[1], (float) a.tint()[2]};
    float[] tTint = {(float) tunnelTint[0], (float) tunnelTint[1], (float) tunnelTint[2]};
    float invVis = (float) (1 / visibility);
    for (int y = 0; y < h; y++) {
      double gd = cam.groundDepth(y + 0.5);
      float groundDepth = (float) (Double.isInfinite(gd) || !(gd > 0) ? 2000 : gd);
      float groundFog = (float) (1 - expNeg(groundDepth / visibility));
      float groundBeam = beam(headlights, groundDepth);
      float groundSpread = invSpread2(groundDepth);
      double cd = y + 0.5 < cam.horizon ? cam.focal * (5.8 - cam.camHeight)
          / (cam.horizon - y - 0.5) : 2000;
      float ceilingDepth = (float) cd;
      float ceilingFog = (float) (1 - expNeg(cd / visibility));
      float ceilingBeam = beam(headlights, cd);
      float ceilingSpread = invSpread2(cd);
      float wetShine = wet ? (float) Math.max(0, 1 - (y - cam.horizon) / (h - cam.horizon)) : 0;
      float shine = 55 * wetShine * wetShine * (night ? 0.3f : 1);
      int row = y * w;
      // consecutive pixels of one element share their light and fog: the per-pixel work is
      // then a multiply-add per channel (pixels in the headlight beam or on a wall vary)
      int lastId = -1;
      int kind = 0;
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
            case 0 -> { }
            case 1 -> {
              d = groundDepth;
              f = groundFog;
              beam = groundBeam;
              invSpread = groundSpread;
            }
            case 2 -> {
              d = depthOf[id];
              f = fogOf[id];
              beam = beamOf[id];
              invSpread = invSpreadOf[id];
            }
            case 3 -> { }
            default -> {
              d = ceilingDepth;
              f = ceilingFog;
              beam = ceilingBeam;
              invSpread = ceilingSpread;
            }
          }
          perPixel = kind == 3 || kind != 0 && kind != 5 && beam > 0;
          stale = true;
        }
        if (kind == 5) {
          continue;
        }
        if (kind == 0) {
          if (foggy) {
            int c = rgb[p];
            int r = (int) (((c >> 16) & 255) * 0.25f + fog[0] * 0.75f);
            int g = (int) (((c >> 8) & 255) * 0.25f + fog[1] * 0.75f);
            int b = (int) ((c & 255) * 0.25f + fog[2] * 0.75f);
            rgb[p] = (r << 16) | (g << 8) | b;
          }
          continue;
        }
        if (perPixel || stale) {
          stale = false;
          if (kind == 3) {
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
          float mean = 110 * light * (1 - contrast);
          float k = light * contrast * keep;
          float wetAdd = wet && (id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT) ? shine : 0;
          ar = k * tr;
          ag = k * tg;
          ab = k * tb;
          br = (mean + wetAdd) * keep + fog[0] * f;
          bg = (mean + wetAdd) * keep + fog[1] * f;
          bb = (mean + wetAdd * 1.05f) * keep + fog[2] * f;
        }
        int c = rgb[p];
        rgb[p] = (clampI(((c >> 16) & 255) * ar + br) << 16)
            | (clampI(((c >> 8) & 255) * ag + bg) << 8) | clampI((c & 255) * ab + bb);
      }
    }
  }

  /** Headlight gain on the beam axis at depth d (0 beyond the beam's 70 m reach). */
  private static float beam(float headlights, double d) {
    return headlights > 0 && d < 70 && d > 0 ? (float) (headlights * 1.1 * expNeg(d / 22)) : 0;
  }

  /** 1 / spread^2 of the headlight cone at depth d. */
  private static float invSpread2(double d) {
    double spread = 1.6 + 0.28 * d;
    return (float) (1 / (spread * spread));
  }

  private static int clampI(float v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  /** Sensor noise samples as {@link #finish} draws them: sums of two 10-bit uniforms, centred. */
  private static final short[] NOISE = noiseTable();

  private static short[] noiseTable() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(0x5EED);
    short[] t = new short[1 << 16];
    for (int i = 0; i < t.length; i++) {
      t[i] = (short) (r.nextInt(1024) + r.nextInt(1024) - 1023);
    }
    return t;
  }

  /**
   * Video frames: exposure and sensor noise into interleaved BGR, as {@link #finish(byte[])}
   * but in fixed point, with the noise read from a table at a random offset per row.
   */
  void finishVideo(byte[] out) {
    int[] rgb = canvas.rgb;
    int w = canvas.width;
    int exposure = (int) Math.round(spec.exposure * 65536);
    int[] noise = new int[NOISE.length];
    double sigma = spec.noise * 1.7 / 1023.0 * 65536;
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (int) (NOISE[i] * sigma) + 32768;
    }
    int mask = noise.length - 1;
    long s = rng.nextLong() | 1;
    for (int y = 0, p = 0, o = 0; y < canvas.height; y++) {
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      int k = (int) s;
      for (int x = 0; x < w; x++, p++, o += 3, k += 3) {
        int c = rgb[p];
        out[o] = (byte) clamp255(((c & 255) * exposure + noise[k & mask]) >> 16);
        out[o + 1] = (byte) clamp255((((c >> 8) & 255) * exposure + noise[(k + 1) & mask]) >> 16);
        out[o + 2] = (byte) clamp255((((c >> 16) & 255) * exposure + noise[(k + 2) & mask]) >> 16);
      }
    }
  }

  private static int clamp255(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
  }

  private double tunnelExit() {
    return spec.tunnelExit;
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  /** Lamps, glows, reflections, rain and snow drawn over the lit image. */
  void overlay(List<Item> items) {
    Graphics2D g = canvas.g;
    Composite normal = g.getComposite();
    boolean lit = night || dusk;
    boolean wet = spec.weather.equals("rainy");
    Camera cam = spec.camera;
    for (Item item : items) {
      for (Item.Light l : item.lights) {
        if (l.nightOnly() && !lit) {
          continue;
        }
        double depth = l.depth() - item.shift;
        if (video && (depth < Camera.NEAR || l.shape().getBounds2D().isEmpty())) {
          // behind the camera, or clipped away with its section
          continue;
        }
        double atten = 1 - (1 - expNeg(depth / (visibility * 1.6))) * 0.85;
        Color c = l.color();
        float a = (float) Math.max(0.05, Math.min(1, atten));
        if (video) {
          // the lamp itself was drawn in depth order by emit(): only its glow is left
          g.setComposite(normal);
        } else if (night || !l.nightOnly()) {
          g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, a));
          g.setColor(c);
          g.fill(l.shape());
        } else {
          g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, a * 0.6f));
          g.setColor(c);
          g.fill(l.shape());
        }
        Rectangle2D b = l.shape().getBounds2D();
        double radius = l.glowRadius() * (night ? 1 : 0.5)
            * (spec.weather.equals("foggy") ? 2.0 : 1);
        if (radius >= 2) {
          Point2D.Double centre = new Point2D.Double(b.getCenterX(), b.getCenterY());
          float alpha = (float) ((night ? 0.55 : 0.3) * atten);
          RadialGradientPaint glow = new RadialGradientPaint(centre, (float) radius,
              new float[] {0f, 1f},
              new Color[] {new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) (255 * alpha)),
                  new Color(c.getRed(), c.getGreen(), c.getBlue(), 0)},
              MultipleGradientPaint.CycleMethod.NO_CYCLE);
          g.setComposite(normal);
          g.setPaint(glow);
          g.fill(new Ellipse2D.Double(centre.x - radius, centre.y - radius, 2 * radius, 2 * radius));
          if (wet && l.reflect() && lit) {
            double vGround = cam.v(0, Math.max(1, depth));
            double len = Math.max(4, (vGround - centre.y) * 1.6);
            double width = Math.max(2, b.getWidth() * 1.2);
            g.setPaint(new java.awt.GradientPaint((float) centre.x, (float) vGround,
                new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) (150 * atten)),
                (float) centre.x, (float) (vGround + len), new Color(c.getRed(), c.getGreen(),
                c.getBlue(), 0)));
            g.fill(new Rectangle2D.Double(centre.x - width / 2, vGround, width, len));
          }
        }
      }
    }
    g.setComposite(normal);
    Rectangle area = weatherArea();
    switch (spec.weather) {
      case "rainy" -> rain(g, area);
      case "snowy" -> snow(g, area);
      default -> { }
    }
    g.setComposite(normal);
  }

  /**
   * Video: draws an item's lamps right after the item, so that nearer things hide them (the
   * dataset path draws lamps over everything after lighting), and marks their pixels emissive
   * so that lighting leaves them at full brightness.
   */
  void emit(Item item) {
    boolean lit = night || dusk;
    Graphics2D g = canvas.g;
    Composite normal = g.getComposite();
    for (Item.Light l : item.lights) {
      double depth = l.depth() - item.shift;
      if (l.nightOnly() && !lit || depth < Camera.NEAR || l.shape().getBounds2D().isEmpty()) {
        continue;
      }
      double atten = 1 - (1 - expNeg(depth / (visibility * 1.6))) * 0.85;
      float a = (float) Math.max(0.05, Math.min(1, atten));
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER,
          night || !l.nightOnly() ? a : a * 0.6f));
      g.setColor(l.color());
      g.fill(l.shape());
      canvas.gi.setColor(new Color(Canvas.EMISSIVE));
      canvas.gi.fill(l.shape());
    }
    g.setComposite(normal);
  }

  /** Where precipitation is visible: everywhere, or only through a tunnel's exit. */
  private Rectangle weatherArea() {
    if (!spec.scene.equals("tunnel")) {
      return new Rectangle(-50, -50, canvas.width + 100, canvas.height + 100);
    }
    return spec.exitArea;
  }

  private void rain(Graphics2D g, Rectangle area) {
    g.setTransform(new java.awt.geom.AffineTransform());
    double angle = rng.uniform(-0.25, 0.25);
    int n = (int) (rng.range(400, 900) * Math.max(0.05, area.getWidth() * area.getHeight()
        / (canvas.width * (double) canvas.height)));
    int base = night ? 150 : 215;
    // video: the same streaks blended straight into the pixels (Java2D strokes cost ~5 us each)
    for (int i = 0; i < n && video; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double len = rng.uniform(8, 34) * canvas.height / 720.0;
      int a = rng.range(40, 95) * 256 / 255;
      boolean wide = rng.uniform(0.8, 1.8) > 1.3;
      int colour = (base << 16) | (base << 8) | (base + 10);
      double dx = Math.sin(angle);
      double dy = Math.cos(angle);
      for (int t = 0; t <= len; t++) {
        int px = (int) (x + dx * t);
        int py = (int) (y + dy * t);
        blend(px, py, colour, a);
        if (wide) {
          blend(px + 1, py, colour, a);
        }
      }
    }
    for (int i = 0; i < n && !video; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double len = rng.uniform(8, 34) * canvas.height / 720.0;
      int a = rng.range(40, 95);
      g.setStroke(new BasicStroke((float) rng.uniform(0.8, 1.8)));
      g.setColor(new Color(base, base, base + 10, a));
      g.draw(new Line2D.Double(x, y, x + Math.sin(angle) * len, y + Math.cos(angle) * len));
    }
    // drops on the windshield
    int drops = dropRng.range(15, 50);
    for (int i = 0; i < drops; i++) {
      double r = dropRng.uniform(2, 10) * canvas.height / 720.0;
      double x = dropRng.uniform(0, canvas.width);
      double y = dropRng.uniform(0, canvas.height);
      g.setColor(new Color(235, 240, 245, 55));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
      g.setColor(new Color(20, 20, 25, 45));
      g.fill(new Ellipse2D.Double(x - r * 0.6, y + r * 0.2, r * 1.2, r * 0.7));
    }
    g.setTransform(canvas.transform());
  }

  private void snow(Graphics2D g, Rectangle area) {
    g.setTransform(new java.awt.geom.AffineTransform());
    int n = (int) (rng.range(700, 1600) * Math.max(0.05, area.getWidth() * area.getHeight()
        / (canvas.width * (double) canvas.height)));
    int base = night ? 190 : 250;
    for (int i = 0; i < n; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double r = (rng.chance(0.08) ? rng.uniform(3.5, 7) : rng.uniform(1.2, 3.2))
          * canvas.height / 720.0;
      if (video) {
        // video: blended straight into the pixels (Java2D shapes cost microseconds each)
        disc(x, y, r, (base << 16) | (base << 8) | base, rng.range(150, 235) * 256 / 255);
        continue;
      }
      g.setColor(new Color(base, base, base, rng.range(150, 235)));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }
    g.setTransform(canvas.transform());
  }

  /** Blends {@code colour} over device pixel (x, y) with alpha {@code a} of 256. */
  private void blend(int x, int y, int colour, int a) {
    if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) {
      return;
    }
    int p = y * canvas.width + x;
    int c = canvas.rgb[p];
    int r = (c >> 16) & 255;
    int g = (c >> 8) & 255;
    int b = c & 255;
    r += (((colour >> 16) & 255) - r) * a >> 8;
    g += (((colour >> 8) & 255) - g) * a >> 8;
    b += ((colour & 255) - b) * a >> 8;
    canvas.rgb[p] = (r << 16) | (g << 8) | b;
  }

  /** Blends a filled disc of radius r centred at device point (cx, cy). */
  private void disc(double cx, double cy, double r, int colour, int a) {
    int x0 = (int) Math.floor(cx - r);
    int x1 = (int) Math.ceil(cx + r);
    int y0 = (int) Math.floor(cy - r);
    int y1 = (int) Math.ceil(cy + r);
    double r2 = r * r;
    for (int y = y0; y <= y1; y++) {
      double dy = y + 0.5 - cy;
      for (int x = x0; x <= x1; x++) {
        double dx = x + 0.5 - cx;
        if (dx * dx + dy * dy <= r2) {
          blend(x, y, colour, a);
        }
      }
    }
  }

  /** Exposure and sensor noise; returns interleaved BGR bytes. */
  byte[] finish() {
    return finish(new byte[canvas.rgb.length * 3]);
  }

  /** Exposure and sensor noise into {@code out} (interleaved BGR); returns it. */
  byte[] finish(byte[] out) {
    int[] rgb = canvas.rgb;
    double exposure = spec.exposure;
    double sigma = spec.noise;
    long s = rng.nextLong() | 1;
    for (int p = 0; p < rgb.length; p++) {
      int c = rgb[p];
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      // three roughly Gaussian samples from one 64-bit draw (sum of two 10-bit uniforms)
      double n0 = (((s & 1023) + ((s >>> 10) & 1023)) / 1023.0 - 1) * sigma * 1.7;
      double n1 = ((((s >>> 20) & 1023) + ((s >>> 30) & 1023)) / 1023.0 - 1) * sigma * 1.7;
      double n2 = ((((s >>> 40) & 1023) + ((s >>> 50) & 1023)) / 1023.0 - 1) * sigma * 1.7;
      out[3 * p] = (byte) clamp((c & 255) * exposure + n2);
      out[3 * p + 1] = (byte) clamp(((c >> 8) & 255) * exposure + n1);
      out[3 * p + 2] = (byte) clamp(((c >> 16) & 255) * exposure + n0);
    }
    return out;
  }

  /** Converts packed RGB ints to BGR bytes without any effect (flat test images). */
  static byte[] toBgr(int[] rgb) {
    byte[] out = new byte[rgb.length * 3];
    for (int p = 0; p < rgb.length; p++) {
      int c = rgb[p];
      out[3 * p] = (byte) (c & 255);
      out[3 * p + 1] = (byte) ((c >> 8) & 255);
      out[3 * p + 2] = (byte) ((c >> 16) & 255);
    }
    return out;
  }
}
