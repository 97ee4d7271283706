package dev.hydrastream.data.render;

import java.awt.geom.Path2D;

/**
 * A visible planar face of a box-shaped object, with helpers to place decorations (windows, lights,
 * wheels) in face coordinates: {@code s} runs 0..1 from the viewer's left edge to the right edge,
 * {@code y} is the world height in metres.
 */
class Face {
  enum Role {
    FRONT,
    REAR,
    LEFT,
    RIGHT,
    TOP
  }

  final Role role;
  final Camera cam;

  /** World x,z of the viewer's left and right bottom corners; bottom and top heights. */
  final double lx;

  final double lz;
  final double rx;
  final double rz;
  final double y0;
  final double y1;

  /** Shading factor from the face orientation. */
  final double shade;

  /** {@code left} and {@code right}: the bottom corners as world {@code {x, z}}. */
  Face(Role role, Camera cam, double[] left, double[] right, double y0, double y1, double shade) {
    this.role = role;
    this.cam = cam;
    this.lx = left[0];
    this.lz = left[1];
    this.rx = right[0];
    this.rz = right[1];
    this.y0 = y0;
    this.y1 = y1;
    this.shade = shade;
  }

  Path2D.Double outline() {
    return quad(0, 1, y0, y1);
  }

  /** The face region between s0..s1 and heights ya..yb. */
  Path2D.Double quad(double s0, double s1, double ya, double yb) {
    double x0 = lx + (rx - lx) * s0;
    double z0 = lz + (rz - lz) * s0;
    double x1 = lx + (rx - lx) * s1;
    double z1 = lz + (rz - lz) * s1;
    return cam.polygon(
        new double[] {x0, ya, z0},
        new double[] {x1, ya, z1},
        new double[] {x1, yb, z1},
        new double[] {x0, yb, z0});
  }

  /** Same as {@link #quad} with heights as fractions of the face height. */
  Path2D.Double rel(double s0, double s1, double t0, double t1) {
    double h = y1 - y0;
    return quad(s0, s1, y0 + t0 * h, y0 + t1 * h);
  }

  double minZ() {
    return Math.min(lz, rz);
  }
}
