package dev.hydrastream.data.render;

import java.awt.geom.Path2D;
import java.awt.geom.Point2D;

/**
 * A pinhole camera above a flat ground plane: world x to the right, y up, z forward (metres),
 * camera at {@code (0, height, 0)}. Pitch moves the horizon; roll is applied by the canvas as an
 * image rotation. Small-angle pitch keeps vertical world lines vertical, which is what dash cams
 * show.
 */
final class Camera {
  final int width;
  final int height;
  final double focal;
  final double cx;
  final double horizon;
  final double camHeight;
  final double roll;
  /** Nearest depth that is projected; geometry is clipped in z here. */
  static final double NEAR = 0.5;

  Camera(int width, int height, double focal, double horizon, double camHeight, double roll) {
    this.width = width;
    this.height = height;
    this.focal = focal;
    this.cx = width / 2.0;
    this.horizon = horizon;
    this.camHeight = camHeight;
    this.roll = roll;
  }

  double u(double x, double z) {
    return cx + focal * x / z;
  }

  double v(double y, double z) {
    return horizon - focal * (y - camHeight) / z;
  }

  Point2D.Double project(double x, double y, double z) {
    return new Point2D.Double(u(x, z), v(y, z));
  }

  /** Image scale (pixels per metre) at depth z. */
  double scale(double z) {
    return focal / z;
  }

  /** Ground depth seen at image row {@code v} (infinite at and above the horizon). */
  double groundDepth(double v) {
    double dv = v - horizon;
    return dv <= 0.5 ? Double.POSITIVE_INFINITY : focal * camHeight / dv;
  }

  /** A polygon through world points given as {x, y, z} triples; points must have z >= NEAR. */
  Path2D.Double polygon(double[]... pts) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < pts.length; i++) {
      double[] q = pts[i];
      double u = u(q[0], q[2]);
      double v = v(q[1], q[2]);
      if (i == 0) {
        p.moveTo(u, v);
      } else {
        p.lineTo(u, v);
      }
    }
    p.closePath();
    return p;
  }

  /**
   * A vertical quad facing the camera (a billboard) at depth z, spanning world x in [x0, x1] and
   * height [y0, y1].
   */
  Path2D.Double billboard(double x0, double x1, double y0, double y1, double z) {
    return polygon(new double[] {x0, y0, z}, new double[] {x1, y0, z}, new double[] {x1, y1, z},
        new double[] {x0, y1, z});
  }
}
