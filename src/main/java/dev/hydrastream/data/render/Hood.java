package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The ego vehicle along the bottom of the image, when the camera sees it: its hood, or (randomized
 * frames) the top of a dashboard. Drawn after everything else and never labelled.
 */
final class Hood {
  private Hood() {}

  /** The plain renderer's hood: the car's paint with a highlight, {@code spec.hood} high. */
  static void add(SceneBuild b) {
    hood(b, b.spec.hood, 0.05, Shapes.shade(Vehicles.carPaint(b.rng), 0.6), 1.5);
  }

  /** Randomized frames: nothing, a hood of random height, bulge and paint, or a dashboard. */
  static void addRandomized(SceneBuild b) {
    Rng r = b.spec.dr.rng;
    switch (b.spec.dr.ego) {
      case HOOD ->
          hood(
              b,
              r.uniform(0.04, 0.16),
              r.uniform(0.0, 0.09),
              Shapes.shade(Vehicles.carPaint(r), r.uniform(0.4, 0.9)),
              r.uniform(1.1, 1.8));
      case DASHBOARD -> dashboard(b, r);
      default -> {}
    }
  }

  private static void hood(SceneBuild b, double height, double bulge, Color paint, double shine) {
    int w = b.cam.width;
    int h = b.cam.height;
    double top = h * (1 - height);
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-w * 0.2, h * 1.2);
    p.lineTo(-w * 0.2, top + h * bulge);
    p.curveTo(w * 0.2, top, w * 0.8, top, w * 1.2, top + h * bulge);
    p.lineTo(w * 1.2, h * 1.2);
    p.closePath();
    Item it = Item.scenery(0);
    int id = b.canvas.scenery(Canvas.DepthKind.FIXED, 1.0);
    it.fill(p, paint, id);
    it.colour(
        new Ellipse2D.Double(w * 0.3, top + h * 0.01, w * 0.4, h * 0.02),
        Shapes.shade(paint, shine));
    b.foreground.add(it);
  }

  /** A dashboard's top edge, dark and matte, with a vent or a phone mount now and then. */
  private static void dashboard(SceneBuild b, Rng r) {
    int w = b.cam.width;
    int h = b.cam.height;
    double top = h * (1 - r.uniform(0.06, 0.2));
    double dip = h * r.uniform(-0.03, 0.04);
    Color base = Shapes.shade(new Color(38, 36, 34), r.uniform(0.5, 2.2));
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-w * 0.1, h * 1.2);
    p.lineTo(-w * 0.1, top + dip);
    p.quadTo(w * 0.5, top - dip, w * 1.1, top + dip);
    p.lineTo(w * 1.1, h * 1.2);
    p.closePath();
    Item it = Item.scenery(0);
    int id = b.canvas.scenery(Canvas.DepthKind.FIXED, 0.6);
    it.fill(p, new GradientPaint(0, (float) top, Shapes.shade(base, 1.3), 0, h, base.darker()), id);
    if (r.chance(0.5)) {
      double vx = w * r.uniform(0.1, 0.7);
      it.colour(
          new Rectangle2D.Double(vx, top + h * 0.04, w * r.uniform(0.08, 0.2), h * 0.02),
          Shapes.shade(base, 0.5));
    }
    if (r.chance(0.25)) {
      double mx = w * r.uniform(0.3, 0.7);
      it.fill(
          new Rectangle2D.Double(mx, top - h * 0.09, w * 0.05, h * 0.1), new Color(20, 20, 22), id);
    }
    b.foreground.add(it);
  }
}
