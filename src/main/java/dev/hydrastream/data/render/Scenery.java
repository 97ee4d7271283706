package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * The things that define a scene type but carry no detection label: facades, houses, trees,
 * barriers, tunnel walls, canopies and pumps. Elements that stand behind everything on the road
 * (facades, barriers, walls) go into the backdrop layer, drawn before all objects.
 */
final class Scenery extends Placer {
  /** Items with depth above this are backdrop; their order among themselves is by depth. */
  static final double BACKDROP = 10_000;

  /** Height of a tunnel's ceiling, metres. */
  static final double TUNNEL_CEILING = 5.8;

  Scenery(SceneBuild b) {
    super(b);
  }

  private Item backdrop(double z) {
    Item it = Item.scenery(BACKDROP + z);
    b.add(it);
    return it;
  }

  /** A backdrop item made only of polygons the camera clips (see {@link Item#extended}). */
  private Item longBackdrop(double z) {
    Item it = backdrop(z);
    it.extended = true;
    return it;
  }

  /** A vertical quad along the road at lateral offset from the road edge. */
  private Path2D.Double sideQuad(int side, double off, double z1, double z2, double y0, double y1) {
    double x1 = road.edge(side, z1) + side * off;
    double x2 = road.edge(side, z2) + side * off;
    return cam.windowed(
        new double[] {x1, y0, z1},
        new double[] {x2, y0, z2},
        new double[] {x2, y1, z2},
        new double[] {x1, y1, z1});
  }

  private static final List<Color> FACADES =
      Shapes.colours(
          0x96503C, 0xB9AFA0, 0x787D87, 0xD2C8B4, 0x5A5F69, 0xA08C6E, 0x6E8296, 0xC8BEC8);

  /** City buildings along one side of the road, with a gap for the cross street. */
  void facades(
      int side, double off, Road.Crossing crossing, double zMax, double hMin, double hMax) {
    double zi = crossing.z();
    double z = rng.uniform(0.5, 3);
    while (z < zMax) {
      double len = rng.uniform(8, 26);
      double z2 = z + len;
      if (crossing.exists() && z2 > zi - 1 && z < crossing.end() + 1) {
        if (z < zi - 1) {
          building(side, off, z, zi - 1, hMin, hMax, true);
        }
        z = crossing.end() + 1;
        continue;
      }
      building(side, off, z, Math.min(z2, zMax), hMin, hMax, false);
      z = z2 + (rng.chance(0.15) ? rng.uniform(1, 4) : 0);
    }
  }

  private void building(
      int side, double off, double z1, double z2, double hMin, double hMax, boolean endFace) {
    double h = rng.uniform(hMin, hMax);
    Color c = Shapes.shade(rng.pick(FACADES), rng.uniform(0.8, 1.1));
    double xMid = road.edge(side, (z1 + z2) / 2) + side * off;
    int id = canvas.scenery(Canvas.DepthKind.PLANE_X, xMid);
    Item it = longBackdrop(z1 + 0.5);
    if (endFace) {
      double x = road.edge(side, z2) + side * off;
      int eid = canvas.scenery(Canvas.DepthKind.FIXED, z2);
      Item end = backdrop(z2 - 0.3);
      end.fill(
          cam.polygon(
              new double[] {x, 0, z2},
              new double[] {x + side * 25, 0, z2},
              new double[] {x + side * 25, h, z2},
              new double[] {x, h, z2}),
          Shapes.shade(c, 0.8),
          eid);
      windows(end, eid, x, x + side * 25, z2, h, true);
    }
    it.fill(sideQuad(side, off, z1, z2, 0, h), Shapes.shade(c, 0.75), id);
    // ground floor: shop windows and an awning
    Color glass = lit ? new Color(60, 55, 45) : new Color(55, 65, 78);
    double pixelsPerMetre = cam.builderScale(z2);
    it.fill(sideQuad(side, off - 0.01, z1 + 0.5, z2 - 0.5, 0.4, 2.8), glass, id);
    if (lit) {
      it.lights.add(
          new Item.Light(
              sideQuad(side, off - 0.01, z1 + 0.5, z2 - 0.5, 0.4, 2.8),
              new Color(255, 220, 160),
              0,
              (z1 + z2) / 2,
              true,
              true));
    }
    if (rng.chance(0.4)) {
      it.fill(
          sideQuad(side, off - 0.02, z1 + 0.3, z2 - 0.3, 2.9, 3.4),
          rng.pick(List.of(new Color(160, 30, 30), new Color(30, 90, 60), new Color(40, 60, 140))),
          id);
    }
    if (pixelsPerMetre * 1.4 < 1.5) {
      return;
    }
    for (double y = 4.2; y + 1.6 < h; y += 3.2) {
      for (double z = z1 + 1.0; z + 1.4 < z2; z += 2.7) {
        boolean on = lit && rng.chance(b.night ? 0.35 : 0.15);
        Path2D.Double win = sideQuad(side, off - 0.01, z, z + 1.4, y, y + 1.6);
        it.fill(win, on ? new Color(90, 80, 60) : glass, id);
        if (on) {
          it.lights.add(new Item.Light(win, new Color(255, 215, 140), 0, z, true, false));
        }
      }
    }
  }

  private void windows(Item it, int id, double x0, double x1, double z, double h, boolean end) {
    Color glass = new Color(55, 65, 78);
    double lo = Math.min(x0, x1);
    double hi = Math.max(x0, x1);
    for (double y = 4.2; y + 1.6 < h; y += 3.2) {
      for (double x = lo + 1; x + 1.4 < hi; x += 2.7) {
        boolean on = lit && rng.chance(0.3);
        Path2D.Double win = cam.billboard(x, x + 1.4, y, y + 1.6, z - 0.01);
        it.fill(win, on ? new Color(90, 80, 60) : glass, id);
        if (on) {
          it.lights.add(new Item.Light(win, new Color(255, 215, 140), 0, z, true, false));
        }
      }
    }
  }

  /** Tall buildings across the far end of the street. */
  void skyline(double zMin, double zMax, double hMin, double hMax) {
    for (double x = -120; x < 120; x += rng.uniform(12, 30)) {
      double z = rng.uniform(zMin, zMax);
      double w = rng.uniform(12, 30);
      double h = rng.uniform(hMin, hMax);
      int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
      Item it = backdrop(z + 100);
      Color c = Shapes.shade(rng.pick(FACADES), rng.uniform(0.75, 1.0));
      it.fill(cam.billboard(x, x + w, 0, h, z), c, id);
      windows(it, id, x, x + w, z, h, false);
    }
  }

  private static final List<Color> SIDING =
      Shapes.colours(0xEBE8DC, 0xD2BEA0, 0xAABECD, 0xA05A46, 0xC8C8B9, 0x788C6E);
  private static final List<Color> ROOFS = Shapes.colours(0x46464B, 0x6E4632, 0x963C2D, 0x3C4150);

  /** Detached houses set back from the road, with pitched roofs. */
  void houses(int side, double setback, Road.Crossing crossing, double zMax) {
    double zi = crossing.z();
    double z = rng.uniform(2, 10);
    while (z < zMax) {
      double len = rng.uniform(8, 13);
      if (crossing.exists() && z + len > zi - 2 && z < crossing.end() + 2) {
        z = crossing.end() + 4;
        continue;
      }
      house(side, setback + rng.uniform(0, 4), z, z + len);
      z += len + rng.uniform(4, 12);
    }
  }

  private void house(int side, double setback, double z1, double z2) {
    double h = rng.chance(0.5) ? rng.uniform(3.0, 3.6) : rng.uniform(5.5, 6.5);
    double depth = rng.uniform(8, 11);
    double rh = rng.uniform(1.8, 3.2);
    Color wall = Shapes.shade(rng.pick(SIDING), rng.uniform(0.85, 1.05));
    Color roof = rng.pick(ROOFS);
    double xb1 = road.edge(side, z1) + side * setback;
    double xb2 = road.edge(side, z2) + side * setback;
    int id = canvas.scenery(Canvas.DepthKind.PLANE_X, (xb1 + xb2) / 2);
    int gid = canvas.scenery(Canvas.DepthKind.FIXED, z1);
    Item it = longBackdrop(z1);
    double xr1 = xb1 + side * depth / 2;
    double xr2 = xb2 + side * depth / 2;
    // gable end facing the camera
    it.fill(
        cam.polygon(
            new double[] {xb1, 0, z1},
            new double[] {xb1 + side * depth, 0, z1},
            new double[] {xb1 + side * depth, h, z1},
            new double[] {xr1, h + rh, z1},
            new double[] {xb1, h, z1}),
        Shapes.shade(wall, 0.8),
        gid);
    it.fill(
        cam.polygon(
            new double[] {xb1, 0, z1},
            new double[] {xb2, 0, z2},
            new double[] {xb2, h, z2},
            new double[] {xb1, h, z1}),
        Shapes.shade(wall, 0.95),
        id);
    it.fill(
        cam.polygon(
            new double[] {xb1, h, z1},
            new double[] {xb2, h, z2},
            new double[] {xr2, h + rh, z2},
            new double[] {xr1, h + rh, z1}),
        roof,
        id);
    if (spec.weather.equals("snowy")) {
      it.colour(
          cam.polygon(
              new double[] {xb1, h + rh * 0.3, z1},
              new double[] {xb2, h + rh * 0.3, z2},
              new double[] {xr2, h + rh, z2},
              new double[] {xr1, h + rh, z1}),
          new Color(230, 233, 240));
    }
    double len = z2 - z1;
    Color glass = new Color(50, 60, 72);
    for (double y : h > 5 ? new double[] {1.0, 3.8} : new double[] {1.0}) {
      for (double f = 0.15; f < 0.85; f += 0.3) {
        double za = z1 + f * len;
        double xa = xb1 + (xb2 - xb1) * f - side * 0.01;
        double xbb = xb1 + (xb2 - xb1) * (f + 0.12) - side * 0.01;
        Path2D.Double win =
            cam.polygon(
                new double[] {xa, y, za},
                new double[] {xbb, y, za + 0.12 * len},
                new double[] {xbb, y + 1.3, za + 0.12 * len},
                new double[] {xa, y + 1.3, za});
        boolean on = lit && rng.chance(0.5);
        it.fill(win, on ? new Color(90, 80, 60) : glass, id);
        if (on) {
          it.lights.add(new Item.Light(win, new Color(255, 210, 130), 0, za, true, false));
        }
      }
    }
  }

  /** Street trees between road and houses. */
  void trees(int side, double offMin, double offMax, double zMin, double zMax) {
    for (double z = zMin + rng.uniform(0, 8); z < zMax; z += rng.uniform(8, 20)) {
      tree(
          road.edge(side, z) + side * rng.uniform(offMin, Math.max(offMin + 0.1, offMax) + 1.5),
          z,
          false);
    }
  }

  /** A distant line of trees (backdrop). */
  void treeLine(int side, double off, double zMin, double zMax) {
    for (double z = zMin; z < zMax; z += rng.uniform(4, 10)) {
      tree(road.edge(side, z) + side * (off + rng.uniform(0, 10)), z, true);
    }
  }

  private void tree(double x, double z, boolean backdrop) {
    double h = rng.uniform(4, 9);
    double r = rng.uniform(1.5, 3.0);
    int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
    Item it = backdrop ? backdrop(z) : Item.scenery(z);
    if (!backdrop) {
      b.add(it);
    }
    it.fill(cam.billboard(x - 0.15, x + 0.15, 0, h - r, z), new Color(85, 60, 40), id);
    boolean bare = spec.weather.equals("snowy") && rng.chance(0.5);
    Color leaf =
        bare
            ? new Color(95, 80, 70)
            : Shapes.mix(new Color(40, 95, 40), new Color(95, 120, 40), rng.uniform(0, 1));
    double k = cam.scale(z);
    for (int i = 0; i < 3; i++) {
      double px = x + rng.uniform(-0.5, 0.5) * r;
      double py = h - r + rng.uniform(-0.2, 0.4) * r;
      double rr = r * rng.uniform(0.6, 0.85);
      double u = cam.u(px, z);
      double v = cam.v(py, z);
      it.fill(
          new Ellipse2D.Double(u - rr * k, v - rr * k, 2 * rr * k, 2 * rr * k * 0.95),
          Shapes.shade(leaf, 0.8 + 0.12 * i),
          id);
    }
    if (spec.weather.equals("snowy")) {
      double u = cam.u(x, z);
      double v = cam.v(h - r * 0.3, z);
      it.colour(
          new Ellipse2D.Double(u - r * k * 0.8, v - r * k * 0.45, r * k * 1.6, r * k * 0.5),
          new Color(235, 238, 242));
    }
  }

  /** Rolling hills on the horizon. */
  void hills() {
    int id = canvas.scenery(Canvas.DepthKind.FIXED, 900);
    Item it = backdrop(5000);
    Path2D.Double p = new Path2D.Double();
    double w = cam.width;
    p.moveTo(-w, cam.horizon + 2);
    double phase = rng.uniform(0, 6);
    double amp = rng.uniform(0.01, 0.06) * cam.height;
    for (int i = -10; i <= 30; i++) {
      double x = i * w / 20.0;
      double y = cam.horizon - amp * (1.2 + Math.sin(phase + i * 0.7) + 0.5 * Math.sin(i * 1.9));
      p.lineTo(x, y);
    }
    p.lineTo(2 * w, cam.horizon + 2);
    p.closePath();
    Color c =
        spec.weather.equals("snowy")
            ? new Color(200, 205, 215)
            : Shapes.mix(new Color(70, 95, 80), new Color(120, 130, 150), rng.uniform(0.2, 0.8));
    it.fill(p, c, id);
  }

  /** A concrete barrier along one road edge. */
  void barrier(int side, double off, double zMax) {
    int id = canvas.scenery(Canvas.DepthKind.PLANE_X, road.edge(side, 30) + side * off);
    Item it = longBackdrop(0.4);
    Color concrete = new Color(175, 172, 165);
    it.fill(sideQuad(side, off, 0.6, zMax, 0, 0.9), concrete, id);
    it.fill(sideQuad(side, off - 0.01, 0.6, zMax, 0, 0.2), Shapes.shade(concrete, 0.7), id);
  }

  /** A steel guard rail on posts along one road edge. */
  void guardRail(int side, double off, double zMax) {
    int id = canvas.scenery(Canvas.DepthKind.PLANE_X, road.edge(side, 30) + side * off);
    Item it = longBackdrop(0.5);
    Color steel = new Color(170, 175, 180);
    for (double z = 2; z < Math.min(zMax, 120); z += 4) {
      double x = road.edge(side, z) + side * off;
      it.fill(
          cam.windowed(
              new double[] {x - 0.06, 0, z},
              new double[] {x + 0.06, 0, z},
              new double[] {x + 0.06, 0.75, z},
              new double[] {x - 0.06, 0.75, z}),
          new Color(110, 110, 110),
          id);
    }
    it.fill(sideQuad(side, off - 0.05, 0.6, zMax, 0.5, 0.8), steel, id);
  }

  /** Tunnel walls, ceiling and lights up to the exit at {@code zExit}. */
  void tunnel(double zExit) {
    double wallH = 4.3;
    double ceil = TUNNEL_CEILING;
    Color wall = Shapes.shade(new Color(175, 168, 150), rng.uniform(0.8, 1.05));
    Color dirt = Shapes.shade(wall, 0.55);
    Color ceiling = Shapes.shade(new Color(90, 88, 85), rng.uniform(0.8, 1.1));
    for (int side : new int[] {-1, 1}) {
      double off = 1.0;
      int id = canvas.scenery(Canvas.DepthKind.PLANE_X, road.edge(side, 20) + side * off);
      Item it = longBackdrop(0.2);
      it.fill(sideQuad(side, off, 0.6, zExit, 0, wallH), wall, id);
      it.fill(sideQuad(side, off - 0.01, 0.6, zExit, 0, 1.1), dirt, id);
      for (double y = 1.6; y < wallH; y += 0.9) {
        it.colour(sideQuad(side, off - 0.01, 0.6, zExit, y, y + 0.04), Shapes.shade(wall, 0.85));
      }
      // slanted haunch between wall and ceiling
      int hid = canvas.scenery(Canvas.DepthKind.PLANE_X, road.edge(side, 20) + side * (off - 0.6));
      double x1a = road.edge(side, 0.6) + side * off;
      double x1b = road.edge(side, zExit) + side * off;
      it.fill(
          cam.windowed(
              new double[] {x1a, wallH, 0.6},
              new double[] {x1b, wallH, zExit},
              new double[] {x1b - side * 1.2, ceil, zExit},
              new double[] {x1a - side * 1.2, ceil, 0.6}),
          Shapes.shade(wall, 0.8),
          hid);
    }
    int cid = canvas.scenery(Canvas.DepthKind.PLANE_Y, ceil);
    Item c = longBackdrop(0.1);
    double l0 = road.leftEdge(0.6) - 1.0 + 1.2;
    double r0 = road.rightEdge(0.6) + 1.0 - 1.2;
    double l1 = road.leftEdge(zExit) - 1.0 + 1.2;
    double r1 = road.rightEdge(zExit) + 1.0 - 1.2;
    c.fill(
        cam.windowed(
            new double[] {l0, ceil, 0.6},
            new double[] {r0, ceil, 0.6},
            new double[] {r1, ceil, zExit},
            new double[] {l1, ceil, zExit}),
        ceiling,
        cid);
    Color lamp = spec.sodium ? new Color(255, 185, 100) : new Color(235, 242, 255);
    double spacing = rng.uniform(5, 9);
    for (double z = 2; z < zExit; z += spacing) {
      for (double x : new double[] {road.centre(z) - 1.5, road.centre(z) + 1.5}) {
        Path2D.Double p =
            cam.windowed(
                new double[] {x - 0.25, ceil - 0.02, z},
                new double[] {x + 0.25, ceil - 0.02, z},
                new double[] {x + 0.25, ceil - 0.02, z + 1.2},
                new double[] {x - 0.25, ceil - 0.02, z + 1.2});
        c.fill(p, new Color(220, 215, 200), cid);
        c.lights.add(new Item.Light(p, lamp, cam.scale(z) * 0.6, z, false, true));
      }
    }
  }

  /** A store facade across the far end of a parking lot. */
  void storefront(double z) {
    int id = canvas.scenery(Canvas.DepthKind.FIXED, z);
    Item it = backdrop(z);
    double h = rng.uniform(7, 12);
    Color wall = Shapes.shade(rng.pick(FACADES), rng.uniform(0.9, 1.1));
    it.fill(cam.billboard(-70, 70, 0, h, z), wall, id);
    it.fill(
        cam.billboard(-40, 40, h - 2.2, h - 0.6, z - 0.01),
        rng.pick(List.of(new Color(200, 30, 30), new Color(30, 80, 170), new Color(240, 190, 20))),
        id);
    for (double x = -30; x < 30; x += 6) {
      Path2D.Double win = cam.billboard(x, x + 4, 0.2, 3, z - 0.01);
      it.fill(win, new Color(60, 70, 80), id);
      if (lit) {
        it.lights.add(new Item.Light(win, new Color(250, 240, 210), 0, z, true, false));
      }
    }
  }

  /** Canopy on pillars, pumps under it, a price sign and a shop. */
  void gasStation(int side, double x0, double z0, double width, double depth) {
    Color brand =
        rng.pick(
            List.of(
                new Color(210, 30, 30),
                new Color(20, 90, 170),
                new Color(30, 140, 60),
                new Color(250, 190, 20)));
    Shapes shapes = b.shapes;
    double xc = x0 + width / 2;
    double zc = z0 + depth / 2;
    double y0 = 4.8;
    double y1 = 5.7;
    int id = canvas.scenery(Canvas.DepthKind.FIXED, z0);
    Item canopy = longBackdrop(z0);
    Path2D.Double under =
        cam.polygon(
            new double[] {x0, y0, z0},
            new double[] {x0 + width, y0, z0},
            new double[] {x0 + width, y0, z0 + depth},
            new double[] {x0, y0, z0 + depth});
    canopy.fill(under, new Color(225, 225, 220), id);
    canopy.lights.add(new Item.Light(under, new Color(255, 252, 240), 0, z0, true, false));
    for (Face f : shapes.box(xc, zc, width, depth, y0, y1, 0, 0)) {
      canopy.fill(f.outline(), Shapes.shade(new Color(240, 240, 240), f.shade), id);
      if (f.role != Face.Role.TOP) {
        canopy.fill(f.rel(0, 1, 0.15, 0.75), Shapes.shade(brand, f.shade), id);
      }
    }
    // pillars and pumps are ordinary items: cars at the pumps stand among them
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double px = x0 + 2.5 + j * 8.0 - 1.6;
        double pz = z0 + 3 + i * 7.0 + 2.0;
        int pid = canvas.scenery(Canvas.DepthKind.FIXED, pz);
        Item pump = Item.scenery(pz);
        for (Face f : shapes.box(px, pz, 0.6, 1.0, 0, 1.8, 0, 0)) {
          pump.fill(f.outline(), Shapes.shade(new Color(230, 230, 230), f.shade), pid);
          if (f.role != Face.Role.TOP) {
            pump.fill(f.rel(0.1, 0.9, 0.75, 0.95), Shapes.shade(brand, f.shade), pid);
            pump.fill(f.rel(0.25, 0.75, 0.5, 0.65), new Color(30, 40, 45), pid);
          }
        }
        for (Face f : shapes.box(px, pz + 0.7, 0.35, 0.35, 0, y0, 0, 0)) {
          pump.fill(f.outline(), Shapes.shade(new Color(215, 215, 215), f.shade), pid);
        }
        b.add(pump);
      }
    }
    // shop behind the forecourt
    double sz = z0 + depth + 6;
    int sid = canvas.scenery(Canvas.DepthKind.FIXED, sz);
    Item shop = backdrop(sz);
    shop.fill(cam.billboard(x0 - 4, x0 + width + 4, 0, 4.0, sz), new Color(220, 215, 205), sid);
    shop.fill(cam.billboard(x0 - 4, x0 + width + 4, 3.2, 4.0, sz - 0.01), brand, sid);
    Path2D.Double shopWin = cam.billboard(x0, x0 + width * 0.6, 0.3, 2.6, sz - 0.01);
    shop.fill(shopWin, new Color(60, 70, 80), sid);
    if (lit) {
      shop.lights.add(new Item.Light(shopWin, new Color(255, 245, 220), 0, sz, true, false));
    }
    // price sign by the road (not a traffic sign)
    double signZ = z0 - 2;
    double signX = road.edge(side, signZ) + side * 2.5;
    int gid = canvas.scenery(Canvas.DepthKind.FIXED, signZ);
    Item sign = Item.scenery(signZ);
    sign.fill(cam.billboard(signX - 0.15, signX + 0.15, 0, 5.5, signZ), new Color(90, 90, 90), gid);
    sign.fill(cam.billboard(signX - 1.1, signX + 1.1, 5.0, 8.0, signZ), brand, gid);
    for (int i = 0; i < 3; i++) {
      Path2D.Double digits =
          cam.billboard(signX - 0.9, signX + 0.9, 5.2 + i * 0.8, 5.8 + i * 0.8, signZ - 0.01);
      sign.fill(digits, new Color(20, 20, 20), gid);
      sign.colour(
          cam.billboard(signX - 0.8, signX + 0.6, 5.3 + i * 0.8, 5.7 + i * 0.8, signZ - 0.02),
          new Color(255, 200, 60));
    }
    b.add(sign);
  }
}
