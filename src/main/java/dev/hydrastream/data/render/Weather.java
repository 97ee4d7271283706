package dev.hydrastream.data.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;

/**
 * Draws falling weather over the lit image, in device pixels: rain streaks and drops on the
 * windshield, snow flakes. Inside a tunnel it shows only through the exit.
 *
 * <p>Dataset and video frames take the same random draws; video blends streaks and flakes straight
 * into the pixels, since Java2D strokes cost microseconds each.
 */
final class Weather {
  private final SceneSpec spec;
  private final Canvas canvas;
  private final Rng rng;

  /** Windshield drops: the frame's stream for datasets, a clip-wide one for video (they stay). */
  private final Rng dropRng;

  private final boolean video;
  private final boolean night;

  Weather(SceneSpec spec, Canvas canvas, Rng rng, Rng dropRng, boolean video) {
    this.spec = spec;
    this.canvas = canvas;
    this.rng = rng;
    this.dropRng = dropRng;
    this.video = video;
    this.night = spec.night();
  }

  void draw() {
    Graphics2D g = canvas.g;
    Rectangle area = area();
    // weather falls in front of the lens: device pixels, not rolled with the scene
    g.setTransform(new AffineTransform());
    switch (spec.weather) {
      case "rainy" -> rain(g, area);
      case "snowy" -> snow(g, area);
      default -> {}
    }
    g.setTransform(canvas.transform());
  }

  /** Where precipitation is visible: everywhere, or only through a tunnel's exit. */
  private Rectangle area() {
    if (!spec.scene.equals("tunnel")) {
      return new Rectangle(-50, -50, canvas.width + 100, canvas.height + 100);
    }
    return spec.exitArea;
  }

  /** How many of {@code lo..hi} (for the whole frame) fall in {@code area}. */
  private int count(int lo, int hi, Rectangle area) {
    return (int)
        (rng.range(lo, hi)
            * Math.max(
                0.05,
                area.getWidth() * area.getHeight() / (canvas.width * (double) canvas.height)));
  }

  private void rain(Graphics2D g, Rectangle area) {
    double angle = rng.uniform(-0.25, 0.25);
    int n = density(count(400, 900, area));
    int base = night ? 150 : 215;
    for (int i = 0; i < n; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double len = rng.uniform(8, 34) * canvas.height / 720.0;
      int a = rng.range(40, 95);
      double width = rng.uniform(0.8, 1.8);
      if (video) {
        streak(
            x, y, len, angle, (base << 16) | (base << 8) | (base + 10), a * 256 / 255, width > 1.3);
      } else {
        g.setStroke(new BasicStroke((float) width));
        g.setColor(new Color(base, base, base + 10, a));
        g.draw(new Line2D.Double(x, y, x + Math.sin(angle) * len, y + Math.cos(angle) * len));
      }
    }
    // drops on the windshield
    int drops = density(dropRng.range(15, 50));
    for (int i = 0; i < drops; i++) {
      double r = dropRng.uniform(2, 10) * canvas.height / 720.0;
      double x = dropRng.uniform(0, canvas.width);
      double y = dropRng.uniform(0, canvas.height);
      g.setColor(new Color(235, 240, 245, 55));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
      g.setColor(new Color(20, 20, 25, 45));
      g.fill(new Ellipse2D.Double(x - r * 0.6, y + r * 0.2, r * 1.2, r * 0.7));
    }
  }

  private void snow(Graphics2D g, Rectangle area) {
    int n = density(count(700, 1600, area));
    int base = night ? 190 : 250;
    for (int i = 0; i < n; i++) {
      double x = area.x + rng.uniform(0, area.width);
      double y = area.y + rng.uniform(0, area.height);
      double r =
          (rng.chance(0.08) ? rng.uniform(3.5, 7) : rng.uniform(1.2, 3.2)) * canvas.height / 720.0;
      if (video) {
        disc(x, y, r, (base << 16) | (base << 8) | base, rng.range(150, 235) * 256 / 255);
        continue;
      }
      g.setColor(new Color(base, base, base, rng.range(150, 235)));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }
  }

  /** Randomized frames draw only a share of what falls: from a drizzle to a downpour. */
  private int density(int n) {
    return spec.dr == null ? n : (int) Math.round(n * spec.dr.precipitation);
  }

  /** A one-pixel streak of {@code len} pixels from (x, y), doubled in width if {@code wide}. */
  private void streak(
      double x, double y, double len, double angle, int colour, int a, boolean wide) {
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
}
