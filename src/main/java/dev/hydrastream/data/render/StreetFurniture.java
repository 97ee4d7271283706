package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * Places what stands beside and over the road: traffic signals at intersections, signs on poles,
 * overhead gantries with direction signs, and street lamps (which light up at night and dusk).
 * Signals and signs are labelled objects; their poles are scenery.
 */
final class StreetFurniture extends Placer {
  private static final Color SIGNAL_POLE = new Color(60, 62, 60);
  private static final Color SIGN_POLE = new Color(140, 140, 140);
  private static final Color STEEL = new Color(120, 122, 125);
  private static final Color LAMP_POLE = new Color(90, 92, 95);
  private static final List<String> SIGNAL_COLOURS =
      List.of("red", "red", "green", "green", "yellow");
  private static final List<TrafficSigns.SignShape> SIGN_SHAPES =
      List.of(TrafficSigns.SignShape.values());

  /** Sign face and border colours. */
  private static final List<Color[]> SIGN_STYLES =
      List.of(
          new Color[] {new Color(245, 245, 245), new Color(200, 20, 20)},
          new Color[] {new Color(30, 80, 170), new Color(240, 240, 240)},
          new Color[] {new Color(240, 200, 30), new Color(20, 20, 20)},
          new Color[] {new Color(200, 25, 25), new Color(245, 245, 245)},
          new Color[] {new Color(30, 120, 60), new Color(240, 240, 240)},
          new Color[] {new Color(245, 245, 245), new Color(30, 30, 30)});

  StreetFurniture(SceneBuild b) {
    super(b);
  }

  /**
   * Signals for a crossing street: poles beside the road and masts over the lanes, all showing one
   * colour, and now and then the back of a cross-street signal.
   */
  void signals(Road.Crossing crossing) {
    double z = crossing.end() + 1.0;
    String colour = rng.pick(SIGNAL_COLOURS);
    for (int side : new int[] {-1, 1}) {
      if (rng.chance(0.3)) {
        continue;
      }
      double x = side > 0 ? road.rightEdge(z) + 1.5 : road.leftEdge(z) - 1.5;
      Item poleItem = Item.scenery(z + 0.01);
      int pid = canvas.scenery(Canvas.DepthKind.FIXED, z);
      poleItem.fill(cam.billboard(x - 0.1, x + 0.1, 0, 5.8, z), SIGNAL_POLE, pid);
      boolean mast = rng.chance(0.6);
      double armEnd = x - side * rng.uniform(3.5, 7.0);
      if (mast) {
        poleItem.fill(
            cam.billboard(Math.min(x, armEnd), Math.max(x, armEnd), 5.6, 5.75, z),
            SIGNAL_POLE,
            pid);
      }
      b.add(poleItem);
      signal(x, 3.6, z - 0.01, colour, true, false);
      if (mast) {
        boolean horiz = rng.chance(0.3);
        for (double ax : new double[] {armEnd + side * 0.5, (x + armEnd) / 2}) {
          signal(ax, horiz ? 5.2 : 5.0, z - 0.01, colour, true, horiz);
        }
      }
    }
    // cross-street signals seen edge-on or from behind
    if (rng.chance(0.5)) {
      double zb = crossing.z() - 1.0;
      double x = road.rightEdge(zb) + 1.2;
      Item p = Item.scenery(zb + 0.01);
      p.fill(
          cam.billboard(x - 0.08, x + 0.08, 0, 4.2, zb),
          SIGNAL_POLE,
          canvas.scenery(Canvas.DepthKind.FIXED, zb));
      b.add(p);
      signal(x, 3.5, zb - 0.01, "none", false, false);
    }
  }

  private void signal(
      double x, double y, double z, String colour, boolean facing, boolean horizontal) {
    Item tl = b.object(z, "traffic light");
    tl.lightColor = colour;
    b.signs.trafficLight(tl, tl.objectId, x, y, z, colour, facing, horizontal);
  }

  /** {@code count} signs on poles between zMin and zMax, {@code offset} beyond the road edge. */
  void signs(int count, double zMin, double zMax, double offset) {
    for (int i = 0; i < count; i++) {
      int side = rng.chance(0.7) ? 1 : -1;
      double z = rng.uniform(zMin, zMax);
      double x = road.edge(side, z) + side * offset;
      double size = rng.uniform(0.6, 1.0);
      double y = rng.uniform(1.9, 2.8);
      TrafficSigns.SignShape shape = rng.pick(SIGN_SHAPES);
      if (shape == TrafficSigns.SignShape.WIDE) {
        size *= 0.8;
      }
      Color[] style = rng.pick(SIGN_STYLES);
      Item pole = Item.scenery(z + 0.02);
      pole.fill(
          cam.billboard(x - 0.04, x + 0.04, 0, y, z + 0.02),
          SIGN_POLE,
          canvas.scenery(Canvas.DepthKind.FIXED, z));
      b.add(pole);
      Item sign = b.object(z, "traffic sign");
      b.signs.trafficSign(
          sign, sign.objectId, x, y, z, size, shape, style[0], style[1], rng.chance(0.08));
    }
  }

  /** An overhead gantry at {@code z} with large direction signs over the right lanes. */
  void gantry(double z) {
    Item g = Item.scenery(z + 0.3);
    int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
    double l = road.leftEdge(z) - 1.5;
    double r = road.rightEdge(z) + 1.5;
    g.fill(cam.billboard(l - 0.2, l + 0.2, 0, 7.2, z + 0.3), STEEL, id);
    g.fill(cam.billboard(r - 0.2, r + 0.2, 0, 7.2, z + 0.3), STEEL, id);
    g.fill(cam.billboard(l, r, 6.8, 7.2, z + 0.3), STEEL, id);
    b.add(g);
    int lanes = spec.lanes;
    int n = rng.range(1, Math.min(3, lanes));
    for (int i = 0; i < n; i++) {
      double x = road.laneCentre(lanes - 1 - i * (lanes / Math.max(1, n)), z);
      Item s = b.object(z, "traffic sign");
      b.signs.trafficSign(
          s,
          s.objectId,
          x,
          6.0,
          z,
          1.8,
          TrafficSigns.SignShape.WIDE,
          new Color(20, 110, 60),
          new Color(240, 240, 240),
          false);
    }
  }

  /**
   * A street lamp {@code h} high at {@code (x, z)}, its head on an arm reaching over the road (from
   * {@code side}) if {@code arm}.
   */
  void lamp(double x, double z, double h, int side, boolean arm) {
    Item lamp = Item.scenery(z + 0.05);
    int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
    lamp.fill(cam.billboard(x - 0.09, x + 0.09, 0, h, z), LAMP_POLE, id);
    double headX = arm ? x - side * 1.6 : x;
    if (arm) {
      lamp.fill(
          cam.billboard(Math.min(x, headX), Math.max(x, headX), h - 0.12, h, z), LAMP_POLE, id);
    }
    Path2D.Double head = cam.billboard(headX - 0.35, headX + 0.35, h - 0.25, h - 0.05, z);
    lamp.fill(head, new Color(200, 200, 190), id);
    b.add(lamp);
    if (lit) {
      Color c = spec.sodium ? new Color(255, 190, 110) : new Color(235, 240, 255);
      lamp.lights.add(new Item.Light(head, c, cam.scale(z) * 2.2, z, true, true));
    }
  }
}
