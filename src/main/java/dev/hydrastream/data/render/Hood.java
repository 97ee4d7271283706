package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;

/**
 * The ego vehicle's hood along the bottom of the image, when the camera sees it: drawn after
 * everything else, in the car's paint with a highlight, and never labelled.
 */
final class Hood {
  private Hood() {}

  static void add(SceneBuild b) {
    int w = b.cam.width;
    int h = b.cam.height;
    double top = h * (1 - b.spec.hood);
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-w * 0.2, h * 1.2);
    p.lineTo(-w * 0.2, top + h * 0.05);
    p.curveTo(w * 0.2, top, w * 0.8, top, w * 1.2, top + h * 0.05);
    p.lineTo(w * 1.2, h * 1.2);
    p.closePath();
    Item it = Item.scenery(0);
    int id = b.canvas.scenery(Canvas.DepthKind.FIXED, 1.0);
    Color paint = Shapes.shade(Vehicles.carPaint(b.rng), 0.6);
    it.fill(p, paint, id);
    it.colour(
        new Ellipse2D.Double(w * 0.3, top + h * 0.01, w * 0.4, h * 0.02), Shapes.shade(paint, 1.5));
    b.foreground.add(it);
  }
}
