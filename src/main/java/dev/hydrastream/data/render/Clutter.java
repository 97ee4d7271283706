package dev.hydrastream.data.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Path2D;

/**
 * Unlabelled things for randomized dataset frames, from the randomization stream: distractor shapes
 * of random outline and colour beside and above the road (scenery in the id buffer, so they hide
 * what is behind them and labels stay exact), overhead wires, and marks on the ground in colour
 * only (cast shadows on sunny days, repaired patches, cracks, manhole covers, puddles in the rain).
 * Nothing is put in a lane where it could pass for an unlabelled vehicle.
 */
final class Clutter {
  private final SceneBuild b;
  private final SceneSpec spec;
  private final Rng rng;
  private final Camera cam;
  private final Road road;

  Clutter(SceneBuild b) {
    this.b = b;
    this.spec = b.spec;
    this.rng = spec.dr.rng;
    this.cam = b.cam;
    this.road = b.road;
  }

  void add() {
    groundMarks();
    int shapes = rng.range(0, spec.scene.equals("tunnel") ? 3 : 12);
    for (int i = 0; i < shapes; i++) {
      shape();
    }
    if (!spec.scene.equals("tunnel") && rng.chance(0.35)) {
      wires();
    }
  }

  /** A star-shaped polygon or a box of random colour beside the road or above it. */
  private void shape() {
    double z = rng.uniform(3, 90);
    int side = rng.chance(0.5) ? 1 : -1;
    double size = rng.uniform(0.2, 2.5);
    double x = road.edge(side, z) + side * (rng.uniform(0.6, 14) + size);
    double y = rng.chance(0.75) ? rng.uniform(0, 1.2) * size : rng.uniform(3, 10);
    Color c =
        Color.getHSBColor(
            (float) rng.uniform(0, 1),
            (float) rng.uniform(0, 0.9),
            (float) rng.uniform(0.15, 0.95));
    Item it = Item.scenery(z);
    int id = b.canvas.scenery(Canvas.DepthKind.FIXED, z);
    if (rng.chance(0.4)) {
      double h = size * rng.uniform(0.5, 2.0);
      it.fill(cam.billboard(x - size / 2, x + size / 2, y, y + h, z), c, id);
    } else {
      int k = rng.range(3, 9);
      Path2D.Double p = new Path2D.Double();
      double rot = rng.uniform(0, 2 * Math.PI);
      for (int i = 0; i < k; i++) {
        double a = rot + 2 * Math.PI * i / k;
        double r = size / 2 * rng.uniform(0.45, 1.0);
        double u = cam.u(x + Math.cos(a) * r, z);
        double v = cam.v(y + size / 2 + Math.sin(a) * r, z);
        if (i == 0) {
          p.moveTo(u, v);
        } else {
          p.lineTo(u, v);
        }
      }
      p.closePath();
      it.fill(p, c, id);
    }
    b.add(it);
  }

  /** Two to five overhead wires across the road between poles beyond both edges. */
  private void wires() {
    double z = rng.uniform(10, 50);
    double z2 = z + rng.uniform(-8, 25);
    Item it = Item.scenery(Math.min(z, z2));
    int id = b.canvas.scenery(Canvas.DepthKind.FIXED, Math.min(z, z2));
    int n = rng.range(2, 5);
    float width = (float) Math.max(1, rng.uniform(0.6, 1.6) * cam.width / 1280.0);
    Color c = new Color(30, 30, 32);
    for (int i = 0; i < n; i++) {
      double y = rng.uniform(6, 10);
      double sag = rng.uniform(0.2, 1.2);
      Path2D.Double line = new Path2D.Double();
      double x1 = road.leftEdge(z) - 4;
      double x2 = road.rightEdge(z2) + 4;
      line.moveTo(cam.u(x1, z), cam.v(y, z));
      double xm = (x1 + x2) / 2;
      double zm = (z + z2) / 2;
      line.quadTo(cam.u(xm, zm), cam.v(y - 2 * sag, zm), cam.u(x2, z2), cam.v(y, z2));
      it.fill(new BasicStroke(width).createStrokedShape(line), c, id);
    }
    b.add(it);
  }

  /** Colour-only marks on the ground, drawn over the road and the paving. */
  private void groundMarks() {
    Item g = b.ground();
    boolean sunny =
        (spec.weather.equals("clear") || spec.weather.equals("partly cloudy")) && !b.night;
    if (sunny && rng.chance(0.7)) {
      // shadows of buildings and trees across the road, from one side
      int n = rng.range(1, 5);
      int side = rng.chance(0.5) ? 1 : -1;
      int alpha = rng.range(60, 130);
      for (int i = 0; i < n; i++) {
        double z0 = rng.uniform(1, 60);
        double z1 = z0 + rng.uniform(2, 25);
        double reach = rng.uniform(0.2, 1.0);
        double slant = rng.uniform(-0.3, 0.3);
        g.colour(
            road.strip(
                q -> side > 0 ? road.rightEdge(q) + 20 : road.leftEdge(q) - 20,
                q -> {
                  double l = road.leftEdge(q);
                  double r = road.rightEdge(q);
                  double w = (r - l) * reach + slant * (q - z0);
                  return side > 0 ? r - w : l + w;
                },
                z0,
                z1),
            new Color(0, 0, 10, alpha));
      }
    }
    int patches = rng.range(0, 4);
    for (int i = 0; i < patches; i++) {
      double z0 = rng.uniform(2, 40);
      double z1 = z0 + rng.uniform(1, 8);
      double x0 = rng.uniform(road.leftEdge(z0), road.rightEdge(z0) - 0.5);
      double w = rng.uniform(0.5, 3);
      int shade = rng.chance(0.5) ? 20 : 170;
      g.colour(
          road.strip(q -> x0 + road.centre(q), q -> x0 + w + road.centre(q), z0, z1),
          new Color(shade, shade, shade, rng.range(25, 70)));
    }
    int cracks = rng.range(0, 6);
    for (int i = 0; i < cracks; i++) {
      double z0 = rng.uniform(2, 25);
      double x0 = rng.uniform(road.leftEdge(z0), road.rightEdge(z0));
      Path2D.Double crack = new Path2D.Double();
      crack.moveTo(cam.u(x0, z0), cam.v(0, z0));
      double x = x0;
      double z = z0;
      for (int k = 0; k < 5; k++) {
        x += rng.uniform(-0.6, 0.6);
        z += rng.uniform(0.2, 1.5);
        crack.lineTo(cam.u(x, z), cam.v(0, z));
      }
      g.colour(
          new BasicStroke((float) Math.max(1, cam.width / 1280.0 * 1.5)).createStrokedShape(crack),
          new Color(15, 15, 15, rng.range(60, 140)));
    }
    if (rng.chance(0.3)) {
      double z = rng.uniform(4, 20);
      double x = rng.uniform(road.leftEdge(z) + 0.5, road.rightEdge(z) - 0.5);
      g.colour(road.strip(q -> x - 0.35, q -> x + 0.35, z - 0.35, z + 0.35), new Color(35, 35, 38));
    }
    if (spec.weather.equals("rainy")) {
      int puddles = rng.range(0, 5);
      for (int i = 0; i < puddles; i++) {
        double z0 = rng.uniform(3, 35);
        double x0 = rng.uniform(road.leftEdge(z0) - 1, road.rightEdge(z0));
        double w = rng.uniform(0.4, 2.5);
        g.colour(
            road.strip(q -> x0, q -> x0 + w, z0, z0 + rng.uniform(0.5, 3)),
            new Color(190, 195, 205, rng.range(40, 110)));
      }
    }
  }
}
