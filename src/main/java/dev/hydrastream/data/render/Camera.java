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

  /*
   * Video pose. Unposed (datasets), world coordinates are camera coordinates and every method
   * below takes its original arithmetic path, so dataset frames stay byte-identical. Posed, the
   * world is a road section built as if seen from {@code shift} metres behind the camera: depth z
   * maps to {@code z - shift}, and lateral x is re-expressed relative to the road's curve (a road
   * of constant curvature looks the same from every point on it).
   */
  private boolean posed;
  private double shift;
  private double curvature;

  /** Local depth window that {@link #windowed} clips long elements to (posed only). */
  private double windowLo = Double.NEGATIVE_INFINITY;

  private double windowHi = Double.POSITIVE_INFINITY;

  Camera(int width, int height, double focal, double horizon, double camHeight, double roll) {
    this.width = width;
    this.height = height;
    this.focal = focal;
    this.cx = width / 2.0;
    this.horizon = horizon;
    this.camHeight = camHeight;
    this.roll = roll;
  }

  /**
   * Poses the camera for video: geometry built next is a road section whose local depth 0 lies
   * {@code shift} metres behind the camera, on a road of {@code curvature}; long elements are
   * clipped to local depths {@code [windowLo, windowHi]}.
   */
  void pose(double shift, double curvature, double windowLo, double windowHi) {
    this.posed = true;
    this.shift = shift;
    this.curvature = curvature;
    this.windowLo = windowLo;
    this.windowHi = windowHi;
  }

  double windowLo() {
    return windowLo;
  }

  double windowHi() {
    return windowHi;
  }

  boolean posed() {
    return posed;
  }

  /** Local depth of the camera in the current section (0 unposed). */
  double shift() {
    return posed ? shift : 0;
  }

  /** Local depth to camera depth. */
  double camZ(double z) {
    return posed ? z - shift : z;
  }

  /** Lateral position in camera coordinates of the local point {@code (x, z)}. */
  private double camX(double x, double z) {
    double zc = z - shift;
    return x - curvature * (z * z - zc * zc) / 2;
  }

  /** Local x of the camera (the ego follows the road), for visibility tests. */
  double eyeX() {
    return posed ? curvature * shift * shift / 2 : 0;
  }

  /** Local z of the camera, for visibility tests. */
  double eyeZ() {
    return shift();
  }

  double u(double x, double z) {
    if (posed) {
      return cx + focal * camX(x, z) / (z - shift);
    }
    return cx + focal * x / z;
  }

  double v(double y, double z) {
    if (posed) {
      return horizon - focal * (y - camHeight) / (z - shift);
    }
    return horizon - focal * (y - camHeight) / z;
  }

  /**
   * Image scale of the local depth z as the unposed builder saw it: for decisions (level of detail)
   * that must not change as the camera moves, or a moving camera would re-roll the scene.
   */
  double builderScale(double z) {
    return focal / z;
  }

  Point2D.Double project(double x, double y, double z) {
    return new Point2D.Double(u(x, z), v(y, z));
  }

  /** Image scale (pixels per metre) at depth z. */
  double scale(double z) {
    return focal / (posed ? z - shift : z);
  }

  /** Ground depth seen at image row {@code v} (infinite at and above the horizon). */
  double groundDepth(double v) {
    double dv = v - horizon;
    return dv <= 0.5 ? Double.POSITIVE_INFINITY : focal * camHeight / dv;
  }

  /**
   * A polygon through world points given as {x, y, z} triples. Unposed, points must have z >= NEAR;
   * posed, the polygon is clipped to the near plane (objects pass beside the camera).
   */
  Path2D.Double polygon(double[]... pts) {
    if (posed) {
      return project(clip(pts, shift + NEAR, Double.POSITIVE_INFINITY));
    }
    return project(pts);
  }

  /**
   * A polygon of a long element (wall, rail, facade) clipped to the section's depth window, so that
   * consecutive sections join without overlapping. Unposed it is {@link #polygon}.
   */
  Path2D.Double windowed(double[]... pts) {
    if (!posed) {
      return polygon(pts);
    }
    // builders start long elements at 0.5..0.6 m, meaning "from the camera": in a section that
    // is "from the section start", or consecutive sections would leave gaps
    double[][] q = pts;
    for (int i = 0; i < pts.length; i++) {
      if (Double.isFinite(windowLo) && pts[i][2] < 1.0 && pts[i][2] > windowLo) {
        if (q == pts) {
          q = pts.clone();
        }
        q[i] = new double[] {pts[i][0], pts[i][1], windowLo};
      }
    }
    return project(clip(q, Math.max(windowLo, shift + NEAR), windowHi));
  }

  private Path2D.Double project(double[][] pts) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < pts.length; i++) {
      double u = u(pts[i][0], pts[i][2]);
      double v = v(pts[i][1], pts[i][2]);
      if (i == 0) {
        p.moveTo(u, v);
      } else {
        p.lineTo(u, v);
      }
    }
    if (pts.length > 0) {
      p.closePath();
    }
    return p;
  }

  /** Sutherland-Hodgman clip of a convex or concave polygon to {@code lo <= z <= hi}. */
  private static double[][] clip(double[][] pts, double lo, double hi) {
    boolean inside = true;
    for (double[] q : pts) {
      if (q[2] < lo || q[2] > hi) {
        inside = false;
        break;
      }
    }
    if (inside) {
      return pts;
    }
    return clipPlane(clipPlane(pts, lo, 1), hi, -1);
  }

  /** Keeps the part of the polygon where {@code sign * (z - limit) >= 0}. */
  private static double[][] clipPlane(double[][] pts, double limit, int sign) {
    if (Double.isInfinite(limit) || pts.length == 0) {
      return pts;
    }
    java.util.List<double[]> out = new java.util.ArrayList<>(pts.length + 2);
    for (int i = 0; i < pts.length; i++) {
      double[] a = pts[i];
      double[] b = pts[(i + 1) % pts.length];
      double da = sign * (a[2] - limit);
      double db = sign * (b[2] - limit);
      if (da >= 0) {
        out.add(a);
      }
      if (da >= 0 != db >= 0) {
        double t = da / (da - db);
        out.add(new double[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), limit});
      }
    }
    return out.toArray(new double[0][]);
  }

  /**
   * A vertical quad facing the camera (a billboard) at depth z, spanning world x in [x0, x1] and
   * height [y0, y1].
   */
  Path2D.Double billboard(double x0, double x1, double y0, double y1, double z) {
    return polygon(
        new double[] {x0, y0, z},
        new double[] {x1, y0, z},
        new double[] {x1, y1, z},
        new double[] {x0, y1, z});
  }
}
