package dev.hydrastream.data.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Paints the ground layer of a build: lanes (the ego's lane direct, the others alternative), tyre
 * tracks, lane markings and crosswalks, and the paved strips beside the road (sidewalks, shoulders,
 * curbs) that are not drivable.
 */
final class RoadSurface extends Placer {
  private static final Color YELLOW = new Color(225, 185, 40);

  /** Marking width, metres. */
  private static final double MARKING = 0.15;

  /** Length of a dash, metres. */
  private static final double DASH = 3.0;

  /** Dash plus gap, metres: video sections are a whole number of periods long. */
  private static final double DASH_PERIOD = 9.0;

  RoadSurface(SceneBuild b) {
    super(b);
  }

  /** Lanes from the camera to {@code zFar}, their markings if {@code markings}, the crossing. */
  void lanes(double zFar, boolean markings, Road.Crossing crossing) {
    Item g = b.ground();
    Color asphalt = spec.palette.asphalt();
    if (crossing.exists()) {
      g.fill(
          road.strip(z -> -400, z -> 400, crossing.z(), crossing.end()), asphalt, Canvas.ROAD_ALT);
    }
    for (int k = 0; k < spec.lanes; k++) {
      final int lane = k;
      int id = k == spec.egoLane ? Canvas.ROAD_DIRECT : Canvas.ROAD_ALT;
      Color c = Shapes.shade(asphalt, 0.97 + 0.06 * ((k * 7) % 3) / 2.0);
      g.fill(
          road.strip(z -> road.boundary(lane, z), z -> road.boundary(lane + 1, z), 0.5, zFar),
          c,
          id);
    }
    // tyre-polished tracks
    if (!canvas.flat) {
      for (int k = 0; k < spec.lanes; k++) {
        final int lane = k;
        for (double off : new double[] {-0.8, 0.8}) {
          g.colour(
              road.strip(
                  z -> road.laneCentre(lane, z) + off - 0.35,
                  z -> road.laneCentre(lane, z) + off + 0.35,
                  0.5,
                  zFar),
              Shapes.shade(asphalt, 0.9));
        }
      }
    }
    if (markings) {
      markings(g, zFar, crossing);
    }
  }

  private void markings(Item g, double zFar, Road.Crossing crossing) {
    Color white = spec.palette.paint();
    for (int k = 0; k <= spec.lanes; k++) {
      final int at = k;
      boolean edge = k == 0 || k == spec.lanes;
      boolean centreLine = spec.opposing > 0 && k == spec.opposing;
      if (edge && !spec.edgeLines) {
        continue;
      }
      Color col = centreLine ? YELLOW : white;
      double inset = k == 0 ? 0.25 : k == spec.lanes ? -0.25 : 0;
      if (centreLine && spec.doubleCentre) {
        for (double off : new double[] {-0.12, 0.12}) {
          line(g, z -> road.boundary(at, z) + off, zFar, false, col, crossing);
        }
      } else {
        boolean dashed = !edge && !(centreLine && spec.doubleCentre);
        line(g, z -> road.boundary(at, z) + inset, zFar, dashed, col, crossing);
      }
    }
    if (crossing.exists() && spec.crosswalk) {
      double z0 = crossing.z() - 4.0;
      for (double x = road.leftEdge(z0) + 0.3; x < road.rightEdge(z0) - 0.5; x += 1.0) {
        final double xx = x;
        g.lane(
            road.strip(
                z -> xx + road.centre(z) - road.centre(z0),
                z -> xx + 0.5 + road.centre(z) - road.centre(z0),
                z0,
                z0 + 3.0),
            white);
      }
    }
  }

  /** A solid or dashed line along x(z), interrupted by the crossing street (and crosswalk). */
  private void line(
      Item g,
      DoubleUnaryOperator x,
      double zFar,
      boolean dashed,
      Color col,
      Road.Crossing crossing) {
    double z = 1.0;
    double phase = spec.dashPhase;
    double end = Math.min(zFar, 160);
    if (b.video != null) {
      // sections are a whole number of dash periods long: start one period early so a dash
      // that crosses into this section from the previous one is completed, and draw solid
      // lines from the section start
      z = dashed ? 1.0 + phase - DASH_PERIOD : cam.windowLo();
      end = Math.min(zFar, cam.windowHi());
    }
    while (z < end) {
      double z0 = z;
      double z1 = dashed ? z + DASH : end;
      if (dashed && z0 == 1.0) {
        z0 = 1.0 + phase;
        z1 = z0 + DASH;
      }
      z = dashed ? z1 + (DASH_PERIOD - DASH) : end;
      double stop = crossing.z() - (spec.crosswalk ? 4.5 : 0.5);
      for (double[] seg : cut(z0, Math.min(z1, end), stop, crossing.end())) {
        g.lane(
            road.strip(
                q -> x.applyAsDouble(q) - MARKING / 2,
                q -> x.applyAsDouble(q) + MARKING / 2,
                seg[0],
                seg[1]),
            col);
      }
    }
  }

  /** [a, b] minus [c, d] (markings stop at intersections). */
  private static List<double[]> cut(double a, double b, double c, double d) {
    List<double[]> out = new ArrayList<>();
    if (c <= 0 || d <= a || c >= b) {
      out.add(new double[] {a, b});
      return out;
    }
    if (c > a) {
      out.add(new double[] {a, c});
    }
    if (d < b) {
      out.add(new double[] {d, b});
    }
    return out;
  }

  /** A flat non-drivable surface strip (sidewalk, shoulder) between lo(z) and hi(z). */
  void pavement(DoubleUnaryOperator lo, DoubleUnaryOperator hi, double z0, double z1, Color c) {
    b.ground().fill(road.strip(lo, hi, z0, z1), c, Canvas.PAVEMENT);
  }

  /**
   * Pavement beside one road edge ({@code side} 1 right, -1 left) from {@code from} to {@code to}
   * metres out, from the camera to {@code zFar}.
   */
  void verge(int side, double from, double to, double zFar, Color c) {
    b.ground().fill(road.beside(side, from, to, 0.5, zFar), c, Canvas.PAVEMENT);
  }

  /** A curb stone along one road edge, a shade lighter than the sidewalk. */
  void curb(int side, double zFar) {
    verge(side, 0, 0.2, zFar, Shapes.shade(spec.palette.sidewalk(), 1.15));
  }
}
