package dev.hydrastream.data.render;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The road's plan on the ground: lane boundaries and edges along a road of constant curvature, and
 * ground strips between two lateral lines, which everything flat (lanes, markings, sidewalks,
 * forecourts) is drawn with.
 */
final class Road {
  /** Depths a strip's outline is sampled at: dense near the camera, where curves show most. */
  private static final double[] ZS = depthSamples();

  private final SceneSpec spec;
  private final Camera cam;

  Road(SceneSpec spec) {
    this.spec = spec;
    this.cam = spec.camera;
  }

  private static double[] depthSamples() {
    double[] zs = new double[48];
    for (int i = 0; i < zs.length; i++) {
      zs[i] = 0.8 * Math.pow(500 / 0.8, i / (double) (zs.length - 1));
    }
    return zs;
  }

  /**
   * A street crossing the road at depth {@code z}, {@code width} wide; there is none where {@code z
   * <= 0}.
   */
  record Crossing(double z, double width) {
    static final Crossing NONE = new Crossing(-1, 0);

    boolean exists() {
      return z > 0;
    }

    /** Depth of the crossing's far side. */
    double end() {
      return z + width;
    }

    double middle() {
      return z + width / 2;
    }
  }

  /** Lateral offset of the road's curve at depth z. */
  double centre(double z) {
    return spec.curvature * z * z / 2;
  }

  /** Lateral position of lane boundary k (0..lanes) at depth z. */
  double boundary(int k, double z) {
    double b = spec.egoCentre + (k - spec.egoLane - 0.5) * spec.laneWidth;
    return b + centre(z);
  }

  double laneCentre(int lane, double z) {
    return (boundary(lane, z) + boundary(lane + 1, z)) / 2;
  }

  double leftEdge(double z) {
    return boundary(0, z);
  }

  double rightEdge(double z) {
    return boundary(spec.lanes, z);
  }

  /** The right edge for {@code side > 0}, else the left edge. */
  double edge(int side, double z) {
    return side > 0 ? rightEdge(z) : leftEdge(z);
  }

  /**
   * Ground strip beside one road edge ({@code side} 1 right, -1 left), from {@code from} to {@code
   * to} metres out, over depths [z0, z1].
   */
  Path2D.Double beside(int side, double from, double to, double z0, double z1) {
    if (side > 0) {
      return strip(z -> rightEdge(z) + from, z -> rightEdge(z) + to, z0, z1);
    }
    return strip(z -> leftEdge(z) - to, z -> leftEdge(z) - from, z0, z1);
  }

  /** Ground strip between the lateral lines lo(z) and hi(z) over depths [z0, z1]. */
  Path2D.Double strip(DoubleUnaryOperator lo, DoubleUnaryOperator hi, double z0, double z1) {
    List<Double> zs = new ArrayList<>();
    if (cam.posed()) {
      // sample in camera depth (dense near the camera), clamped to the section's window
      // (builders start strips at 0.5 m, "from the camera": here from the section start)
      double from = z0 < 1.0 ? cam.windowLo() : Math.max(z0, cam.windowLo());
      double to = Math.min(z1, cam.windowHi());
      double shift = cam.shift();
      from = Math.max(from, shift + Camera.NEAR);
      if (from >= to) {
        return new Path2D.Double();
      }
      zs.add(from);
      for (double z : ZS) {
        if (z + shift > from && z + shift < to) {
          zs.add(z + shift);
        }
      }
      zs.add(to);
    } else {
      zs.add(Math.max(z0, Camera.NEAR));
      for (double z : ZS) {
        if (z > z0 && z < z1) {
          zs.add(z);
        }
      }
      zs.add(z1);
    }
    // out along the low side, back along the high side; all in front of the camera
    int n = zs.size();
    double[][] outline = new double[2 * n][];
    for (int i = 0; i < n; i++) {
      double z = zs.get(i);
      outline[i] = new double[] {lo.applyAsDouble(z), 0, z};
      outline[2 * n - 1 - i] = new double[] {hi.applyAsDouble(z), 0, z};
    }
    return cam.polygon(outline);
  }
}
