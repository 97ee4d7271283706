package dev.hydrastream.data.render;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Composite;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Draws what shines: lamps at full brightness, dimmed by fog, their glows and their streaks on a
 * wet road. Lamps stay bright whatever the light, so they are drawn after lighting; a dataset frame
 * draws them over everything, a video frame draws each right after its item ({@link #emit}) so that
 * nearer things hide it, and only the glows later.
 */
final class Lamps {
  private final SceneSpec spec;
  private final Canvas canvas;
  private final boolean video;
  private final boolean night;

  /** Whether lights that are on only at night and dusk are on. */
  private final boolean lit;

  Lamps(SceneSpec spec, Canvas canvas, boolean video) {
    this.spec = spec;
    this.canvas = canvas;
    this.video = video;
    this.night = spec.night();
    this.lit = spec.lit();
  }

  /**
   * Video: draws an item's lamps right after the item and marks their pixels emissive, so that
   * lighting leaves them at full brightness.
   */
  void emit(Item item) {
    Graphics2D g = canvas.g;
    Composite normal = g.getComposite();
    for (Item.Light l : item.lights) {
      double depth = l.depth() - item.shift;
      if (!shows(l, depth)) {
        continue;
      }
      lamp(g, l, attenuation(depth));
      canvas.gi.setColor(new Color(Canvas.EMISSIVE));
      canvas.gi.fill(l.shape());
    }
    g.setComposite(normal);
  }

  /** The lamps (dataset frames), glows and wet-road streaks of all items, over the lit image. */
  void glow(List<Item> items) {
    Graphics2D g = canvas.g;
    Composite normal = g.getComposite();
    boolean wet = spec.weather.equals("rainy");
    for (Item item : items) {
      for (Item.Light l : item.lights) {
        double depth = l.depth() - item.shift;
        if (!shows(l, depth)) {
          continue;
        }
        double atten = attenuation(depth);
        Color c = l.color();
        if (video) {
          // the lamp itself was drawn in depth order by emit(): only its glow is left
          g.setComposite(normal);
        } else {
          lamp(g, l, atten);
        }
        Rectangle2D b = l.shape().getBounds2D();
        double radius =
            l.glowRadius() * (night ? 1 : 0.5) * (spec.weather.equals("foggy") ? 2.0 : 1);
        if (radius < 2) {
          continue;
        }
        Point2D.Double centre = new Point2D.Double(b.getCenterX(), b.getCenterY());
        float alpha = (float) ((night ? 0.55 : 0.3) * atten);
        g.setComposite(normal);
        g.setPaint(
            new RadialGradientPaint(
                centre,
                (float) radius,
                new float[] {0f, 1f},
                new Color[] {withAlpha(c, (int) (255 * alpha)), withAlpha(c, 0)},
                MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fill(new Ellipse2D.Double(centre.x - radius, centre.y - radius, 2 * radius, 2 * radius));
        if (wet && l.reflect() && lit) {
          double vGround = spec.camera.v(0, Math.max(1, depth));
          double len = Math.max(4, (vGround - centre.y) * 1.6);
          double width = Math.max(2, b.getWidth() * 1.2);
          g.setPaint(
              new GradientPaint(
                  (float) centre.x,
                  (float) vGround,
                  withAlpha(c, (int) (150 * atten)),
                  (float) centre.x,
                  (float) (vGround + len),
                  withAlpha(c, 0)));
          g.fill(new Rectangle2D.Double(centre.x - width / 2, vGround, width, len));
        }
      }
    }
    g.setComposite(normal);
  }

  /**
   * Whether a light shows: night-only lights need night or dusk; in video, lights behind the camera
   * or clipped away with their section do not.
   */
  private boolean shows(Item.Light l, double depth) {
    if (l.nightOnly() && !lit) {
      return false;
    }
    return !(video && (depth < Camera.NEAR || l.shape().getBounds2D().isEmpty()));
  }

  /** How much of a light at {@code depth} comes through the fog, 0.15..1. */
  private double attenuation(double depth) {
    return 1 - (1 - Lighting.expNeg(depth / (spec.fogVisibility * 1.6))) * 0.85;
  }

  /** The lamp itself; night-only lamps are fainter at dusk. */
  private void lamp(Graphics2D g, Item.Light l, double atten) {
    float a = (float) Math.max(0.05, Math.min(1, atten));
    g.setComposite(
        AlphaComposite.getInstance(
            AlphaComposite.SRC_OVER, night || !l.nightOnly() ? a : a * 0.6f));
    g.setColor(l.color());
    g.fill(l.shape());
  }

  private static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }
}
