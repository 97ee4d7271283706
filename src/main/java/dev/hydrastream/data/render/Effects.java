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
  private final boolean night;
  private final boolean dusk;
  private final double visibility;

  Effects(SceneSpec spec, Canvas canvas, Rng rng) {
    this.spec = spec;
    this.canvas = canvas;
    this.rng = rng;
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

  /** Ambient light, tint, contrast and fog, per pixel, with depth from the id buffer. */
  void lighting() {
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

  private double tunnelExit() {
    return spec.tunnelExit;
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  /** Lamps, glows, reflections, rain and snow drawn over the lit image. */
  void overlay(List<Item> items, List<Item.Light> extra) {
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
        double atten = 1 - (1 - expNeg(l.depth() / (visibility * 1.6))) * 0.85;
        Color c = l.color();
        float a = (float) Math.max(0.05, Math.min(1, atten));
        if (night || !l.nightOnly()) {
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
            double vGround = cam.v(0, Math.max(1, l.depth()));
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
    for (int i = 0; i < n; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double len = rng.uniform(8, 34) * canvas.height / 720.0;
      int a = rng.range(40, 95);
      g.setStroke(new BasicStroke((float) rng.uniform(0.8, 1.8)));
      g.setColor(new Color(base, base, base + 10, a));
      g.draw(new Line2D.Double(x, y, x + Math.sin(angle) * len, y + Math.cos(angle) * len));
    }
    // drops on the windshield
    int drops = rng.range(15, 50);
    for (int i = 0; i < drops; i++) {
      double r = rng.uniform(2, 10) * canvas.height / 720.0;
      double x = rng.uniform(0, canvas.width);
      double y = rng.uniform(0, canvas.height);
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
      g.setColor(new Color(base, base, base, rng.range(150, 235)));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }
    g.setTransform(canvas.transform());
  }

  /** Exposure and sensor noise; returns interleaved BGR bytes. */
  byte[] finish() {
    int[] rgb = canvas.rgb;
    byte[] out = new byte[rgb.length * 3];
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
