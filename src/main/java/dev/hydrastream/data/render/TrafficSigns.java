package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;

/**
 * Builds the parts of traffic lights (lit lamp, or the back of the housing) and of traffic signs of
 * several plate shapes. Every part carries the object's id, so its visible pixels are its label.
 */
final class TrafficSigns {
  private final Camera cam;

  TrafficSigns(Camera cam) {
    this.cam = cam;
  }

  /**
   * A traffic light housing with three lamps at height {@code y}; {@code facing} false shows the
   * back of the housing. Returns the lit colour name.
   */
  void trafficLight(
      Item item,
      int id,
      double x,
      double y,
      double z,
      String color,
      boolean facing,
      boolean horizontal) {
    double w = horizontal ? 0.95 : 0.34;
    double h = horizontal ? 0.34 : 0.95;
    Color housing = new Color(28, 30, 28);
    item.fill(cam.billboard(x - w / 2, x + w / 2, y - h / 2, y + h / 2, z), housing, id);
    if (!facing) {
      return;
    }
    String[] order = {"red", "yellow", "green"};
    Color[] lit = {new Color(255, 45, 35), new Color(255, 200, 40), new Color(60, 255, 140)};
    double r = 0.11;
    for (int i = 0; i < 3; i++) {
      double off = (i - 1) * 0.3;
      double lx = horizontal ? x + off : x;
      double ly = horizontal ? y : y - off;
      double u = cam.u(lx, z);
      double v = cam.v(ly, z);
      double pr = r * cam.scale(z);
      Ellipse2D.Double lamp = new Ellipse2D.Double(u - pr, v - pr, 2 * pr, 2 * pr);
      boolean on = order[i].equals(color);
      item.fill(lamp, on ? lit[i] : Shapes.shade(lit[i], 0.22), id);
      if (on) {
        item.lights.add(new Item.Light(lamp, lit[i], pr * 4, z, false, true));
      }
    }
  }

  /** Sign plate shapes. */
  enum SignShape {
    CIRCLE,
    TRIANGLE,
    RECT,
    OCTAGON,
    DIAMOND,
    WIDE
  }

  void trafficSign(
      Item item,
      int id,
      double x,
      double y,
      double z,
      double size,
      SignShape shape,
      Color face,
      Color border,
      boolean back) {
    double k = cam.scale(z);
    double u = cam.u(x, z);
    double v = cam.v(y, z);
    double r = size / 2 * k;
    Shape outer;
    Shape inner;
    switch (shape) {
      case CIRCLE -> {
        outer = new Ellipse2D.Double(u - r, v - r, 2 * r, 2 * r);
        inner = new Ellipse2D.Double(u - r * 0.78, v - r * 0.78, r * 1.56, r * 1.56);
      }
      case TRIANGLE -> {
        outer = regular(u, v, r, 3, -Math.PI / 2);
        inner = regular(u, v, r * 0.7, 3, -Math.PI / 2);
      }
      case OCTAGON -> {
        outer = regular(u, v, r, 8, Math.PI / 8);
        inner = regular(u, v, r * 0.86, 8, Math.PI / 8);
      }
      case DIAMOND -> {
        outer = regular(u, v, r, 4, 0);
        inner = regular(u, v, r * 0.85, 4, 0);
      }
      case WIDE -> {
        outer = cam.billboard(x - size, x + size, y - size * 0.45, y + size * 0.45, z);
        inner =
            cam.billboard(x - size * 0.93, x + size * 0.93, y - size * 0.38, y + size * 0.38, z);
      }
      default -> {
        outer = cam.billboard(x - size * 0.4, x + size * 0.4, y - size / 2, y + size / 2, z);
        inner =
            cam.billboard(x - size * 0.34, x + size * 0.34, y - size * 0.44, y + size * 0.44, z);
      }
    }
    if (back) {
      item.fill(outer, new Color(150, 152, 155), id);
      return;
    }
    item.fill(outer, border, id);
    item.fill(inner, face, id);
    Color glyph =
        face.getRed() + face.getGreen() + face.getBlue() > 500
            ? new Color(20, 20, 20)
            : new Color(240, 240, 240);
    double gw = shape == SignShape.WIDE ? size * 0.6 : size * 0.18;
    item.fill(cam.billboard(x - gw, x + gw, y - size * 0.08, y + size * 0.08, z), glyph, id);
  }

  private static Path2D.Double regular(double u, double v, double r, int n, double start) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < n; i++) {
      double a = start + 2 * Math.PI * i / n;
      double px = u + r * Math.cos(a);
      double py = v + r * Math.sin(a);
      if (i == 0) {
        p.moveTo(px, py);
      } else {
        p.lineTo(px, py);
      }
    }
    p.closePath();
    return p;
  }
}
