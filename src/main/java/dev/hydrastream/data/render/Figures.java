package dev.hydrastream.data.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;

/**
 * Builds the parts of people (walking, standing, riding) and of bicycles and motorcycles, as
 * billboards facing the camera. Every part carries the object's id, so its visible pixels are its
 * label.
 */
final class Figures {
  private final Camera cam;

  Figures(Camera cam) {
    this.cam = cam;
  }

  /**
   * A person standing or walking, as billboard parts. {@code seatHeight > 0} makes a rider: legs
   * bent down from the seat.
   */
  void person(
      Item item,
      int id,
      double x,
      double z,
      double height,
      Color shirt,
      Color trousers,
      Color skin,
      Color hair,
      double stride,
      boolean side,
      double seatHeight) {
    double s = height / 1.75;
    double torsoW = (side ? 0.26 : 0.4) * s;
    double hip = seatHeight > 0 ? seatHeight : 0.88 * s;
    double shoulder = hip + 0.55 * s;
    double headR = 0.11 * s;
    if (seatHeight > 0) {
      // rider: legs from seat down to pedals, slightly forward
      item.fill(
          cam.billboard(x - torsoW * 0.45, x - torsoW * 0.05, hip - 0.55 * s, hip, z),
          trousers,
          id);
      item.fill(
          cam.billboard(x + torsoW * 0.05, x + torsoW * 0.45, hip - 0.45 * s, hip, z),
          Shapes.shade(trousers, 0.85),
          id);
    } else {
      double legW = 0.13 * s;
      double spread = side ? stride * 0.35 * s : 0.06 * s;
      item.fill(
          legPolygon(x - spread, x - spread - legW + (side ? stride * 0.2 : 0), hip, z, legW),
          trousers,
          id);
      item.fill(
          legPolygon(x + spread, x + spread + (side ? -stride * 0.2 : 0), hip, z, legW),
          Shapes.shade(trousers, 0.85),
          id);
    }
    item.fill(
        cam.billboard(x - torsoW / 2, x + torsoW / 2, hip - 0.05 * s, shoulder, z), shirt, id);
    double armW = 0.09 * s;
    if (!side) {
      item.fill(
          cam.billboard(
              x - torsoW / 2 - armW, x - torsoW / 2, hip + 0.02 * s, shoulder - 0.02 * s, z),
          Shapes.shade(shirt, 0.85),
          id);
      item.fill(
          cam.billboard(
              x + torsoW / 2, x + torsoW / 2 + armW, hip + 0.02 * s, shoulder - 0.02 * s, z),
          Shapes.shade(shirt, 0.85),
          id);
    }
    item.fill(
        cam.billboard(x - 0.04 * s, x + 0.04 * s, shoulder, shoulder + 0.06 * s, z), skin, id);
    double hc = shoulder + 0.06 * s + headR;
    double u = cam.u(x, z);
    double v = cam.v(hc, z);
    double r = headR * cam.scale(z);
    item.fill(new Ellipse2D.Double(u - r * 0.85, v - r, r * 1.7, r * 2), skin, id);
    item.fill(new Ellipse2D.Double(u - r * 0.9, v - r * 1.1, r * 1.8, r * 1.1), hair, id);
  }

  private Shape legPolygon(double xTop, double xBottom, double hip, double z, double legW) {
    return cam.polygon(
        new double[] {xTop - legW / 2, hip, z},
        new double[] {xTop + legW / 2, hip, z},
        new double[] {xBottom + legW / 2, 0, z},
        new double[] {xBottom - legW / 2, 0, z});
  }

  /**
   * A two-wheeler seen from the side ({@code side}) or from behind/in front. Returns the seat
   * height for a rider.
   */
  double twoWheeler(
      Item item,
      int id,
      double x,
      double z,
      boolean motor,
      boolean side,
      boolean facingLeft,
      Color paint,
      boolean night,
      boolean rear) {
    double k = cam.scale(z);
    double wheelR = motor ? 0.32 : 0.34;
    double wheelBase = motor ? 1.45 : 1.05;
    double seat = motor ? 0.8 : 0.95;
    Color tyre = new Color(20, 20, 20);
    if (side) {
      double dir = facingLeft ? -1 : 1;
      double xr = x - dir * wheelBase / 2;
      double xf = x + dir * wheelBase / 2;
      float stroke = (float) Math.max(1.5, (motor ? 0.12 : 0.05) * k);
      BasicStroke bs = new BasicStroke(stroke);
      for (double wx : new double[] {xr, xf}) {
        double u = cam.u(wx, z);
        double v = cam.v(wheelR, z);
        double r = wheelR * k;
        item.fill(
            bs.createStrokedShape(new Ellipse2D.Double(u - r, v - r, 2 * r, 2 * r)), tyre, id);
      }
      BasicStroke frame = new BasicStroke((float) Math.max(1.5, (motor ? 0.14 : 0.05) * k));
      double[][] lines = {
        {xr, wheelR, x, wheelR},
        {x, wheelR, x - dir * 0.15, seat},
        {xr, wheelR, x - dir * 0.15, seat},
        {x - dir * 0.15, seat, xf - dir * 0.1, seat + 0.05},
        {xf - dir * 0.1, seat + 0.05, xf, wheelR},
        {x, wheelR, xf - dir * 0.1, seat + 0.05}
      };
      for (double[] ln : lines) {
        item.fill(
            frame.createStrokedShape(
                new Line2D.Double(
                    cam.u(ln[0], z), cam.v(ln[1], z), cam.u(ln[2], z), cam.v(ln[3], z))),
            paint,
            id);
      }
      if (motor) {
        item.fill(cam.billboard(x - 0.45, x + 0.45, wheelR * 0.8, seat, z), paint, id);
        item.fill(
            cam.billboard(x - dir * 0.55 - 0.1, x - dir * 0.05 + 0.1, seat - 0.05, seat + 0.08, z),
            new Color(25, 25, 25),
            id);
      }
    } else {
      double tw = motor ? 0.16 : 0.06;
      item.fill(cam.billboard(x - tw / 2, x + tw / 2, 0, 2 * wheelR, z), tyre, id);
      double bodyW = motor ? 0.55 : 0.1;
      item.fill(cam.billboard(x - bodyW / 2, x + bodyW / 2, wheelR, seat, z), paint, id);
      double bar = motor ? 0.8 : 0.6;
      item.fill(
          cam.billboard(x - bar / 2, x + bar / 2, seat + 0.15, seat + 0.2, z),
          new Color(40, 40, 40),
          id);
      if (motor) {
        Path2D.Double lamp = cam.billboard(x - 0.08, x + 0.08, seat - 0.15, seat - 0.05, z);
        Color c = rear ? new Color(220, 30, 25) : new Color(240, 240, 225);
        item.fill(lamp, c, id);
        if (night) {
          item.lights.add(
              new Item.Light(
                  lamp,
                  rear ? new Color(255, 30, 20) : new Color(255, 250, 225),
                  k * (rear ? 0.4 : 0.9),
                  z,
                  true,
                  true));
        }
      }
    }
    return seat;
  }
}
