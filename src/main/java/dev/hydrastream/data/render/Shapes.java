package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers the object and scenery builders share: shading and mixing colours, and oriented boxes
 * standing on the ground with their visible faces, from which vehicles, pumps and canopies are
 * made.
 */
final class Shapes {
  private final Camera cam;

  Shapes(Camera cam) {
    this.cam = cam;
  }

  /** Opaque colours from {@code 0xRRGGBB} values, so that a palette reads as one table. */
  static List<Color> colours(int... rgb) {
    List<Color> out = new ArrayList<>(rgb.length);
    for (int c : rgb) {
      out.add(new Color(c));
    }
    return List.copyOf(out);
  }

  static Color shade(Color c, double f) {
    return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
  }

  static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  static Color mix(Color a, Color b, double t) {
    return new Color(
        clamp(a.getRed() + (b.getRed() - a.getRed()) * t),
        clamp(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        clamp(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  // ---------------------------------------------------------------- boxes

  /**
   * The visible faces of an oriented box standing on the ground, farthest first.
   *
   * @param x centre lateral position
   * @param z centre depth
   * @param w width
   * @param l length (along the heading)
   * @param y0 bottom height
   * @param y1 top height
   * @param yaw heading angle: 0 drives away from the camera, PI towards it
   * @param along shift of the box centre along the heading
   */
  List<Face> box(
      double x, double z, double w, double l, double y0, double y1, double yaw, double along) {
    double hx = Math.sin(yaw);
    double hz = Math.cos(yaw);
    double rx = Math.cos(yaw);
    double rz = -Math.sin(yaw);
    double cxw = x + hx * along;
    double czw = z + hz * along;
    // corners: (a, b) with a along right, b along heading
    double[][] c = new double[4][];
    double[][] ab = {{-w / 2, -l / 2}, {w / 2, -l / 2}, {w / 2, l / 2}, {-w / 2, l / 2}};
    for (int i = 0; i < 4; i++) {
      c[i] =
          new double[] {cxw + ab[i][0] * rx + ab[i][1] * hx, czw + ab[i][0] * rz + ab[i][1] * hz};
    }
    // c0 rear-left, c1 rear-right, c2 front-right, c3 front-left
    List<Face> faces = new ArrayList<>(4);
    addIfVisible(faces, Face.Role.REAR, c[0], c[1], -hx, -hz, y0, y1, 0.88);
    addIfVisible(faces, Face.Role.FRONT, c[2], c[3], hx, hz, y0, y1, 0.92);
    addIfVisible(faces, Face.Role.LEFT, c[3], c[0], -rx, -rz, y0, y1, 0.7);
    addIfVisible(faces, Face.Role.RIGHT, c[1], c[2], rx, rz, y0, y1, 0.74);
    faces.sort((f1, f2) -> Double.compare((f2.lz + f2.rz) / 2, (f1.lz + f1.rz) / 2));
    if (cam.camHeight > y1 + 0.05) {
      faces.add(new TopFace(cam, c, y1));
    }
    return faces;
  }

  /** The roof of a box: a horizontal quad; {@link Face#outline()} is overridden. */
  static final class TopFace extends Face {
    private final double[][] corners;

    TopFace(Camera cam, double[][] corners, double y) {
      super(Role.TOP, cam, corners[0], corners[1], y, y, 1.08);
      this.corners = corners;
    }

    @Override
    Path2D.Double outline() {
      return cam.polygon(
          new double[] {corners[0][0], y0, corners[0][1]},
          new double[] {corners[1][0], y0, corners[1][1]},
          new double[] {corners[2][0], y0, corners[2][1]},
          new double[] {corners[3][0], y0, corners[3][1]});
    }
  }

  private void addIfVisible(
      List<Face> faces,
      Face.Role role,
      double[] left,
      double[] right,
      double nx,
      double nz,
      double y0,
      double y1,
      double shade) {
    double px = (left[0] + right[0]) / 2;
    double pz = (left[1] + right[1]) / 2;
    // faces whose outward normal points towards the eye (the origin unless posed for video)
    boolean visible =
        cam.posed()
            ? nx * (cam.eyeX() - px) + nz * (cam.eyeZ() - pz) > 1e-6
            : nx * (-px) + nz * (-pz) > 1e-6;
    if (visible) {
      faces.add(new Face(role, cam, left, right, y0, y1, shade));
    }
  }
}
