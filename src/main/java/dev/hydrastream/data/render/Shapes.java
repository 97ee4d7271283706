package dev.hydrastream.data.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the parts of labelled objects (vehicles, people, bikes, lights, signs) from world
 * geometry. Every part of an object carries the object's id, so its visible pixels are its label.
 */
final class Shapes {
  private static final List<Color> CAR_COLOURS =
      List.of(
          new Color(235, 235, 235), new Color(25, 25, 28), new Color(165, 168, 172),
          new Color(95, 98, 104), new Color(160, 25, 28), new Color(30, 60, 140),
          new Color(20, 30, 70), new Color(40, 90, 50), new Color(230, 190, 30),
          new Color(110, 70, 40), new Color(200, 90, 30));

  private static final Color HEADLIGHT = new Color(255, 250, 225);
  private static final Color TAIL_LIGHT = new Color(255, 30, 20);

  private final Camera cam;

  Shapes(Camera cam) {
    this.cam = cam;
  }

  /** A vehicle paint from the common car colours, a little lighter or darker. */
  static Color carPaint(Rng rng) {
    Color c = rng.pick(CAR_COLOURS);
    return shade(c, rng.uniform(0.85, 1.1));
  }

  static Color shade(Color c, double f) {
    return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
  }

  static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  static Color mix(Color a, Color b, double t) {
    return new Color(clamp(a.getRed() + (b.getRed() - a.getRed()) * t),
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
  List<Face> box(double x, double z, double w, double l, double y0, double y1, double yaw,
      double along) {
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
      c[i] = new double[] {cxw + ab[i][0] * rx + ab[i][1] * hx, czw + ab[i][0] * rz + ab[i][1] * hz};
    }
    // c0 rear-left, c1 rear-right, c2 front-right, c3 front-left
    List<Face> faces = new ArrayList<>(4);
    addIfVisible(faces, Face.Role.REAR, c[0], c[1], -hx, -hz, y0, y1, 0.88);
    addIfVisible(faces, Face.Role.FRONT, c[2], c[3], hx, hz, y0, y1, 0.92);
    addIfVisible(faces, Face.Role.LEFT, c[3], c[0], -rx, -rz, y0, y1, 0.7);
    addIfVisible(faces, Face.Role.RIGHT, c[1], c[2], rx, rz, y0, y1, 0.74);
    faces.sort((f1, f2) -> Double.compare(
        (f2.lz + f2.rz) / 2, (f1.lz + f1.rz) / 2));
    if (cam.camHeight > y1 + 0.05) {
      faces.add(new TopFace(cam, c, y1));
    }
    return faces;
  }

  /** The roof of a box: a horizontal quad; {@link Face#outline()} is overridden. */
  static final class TopFace extends Face {
    private final double[][] corners;

    TopFace(Camera cam, double[][] corners, double y) {
      super(Role.TOP, cam, corners[0][0], corners[0][1], corners[1][0], corners[1][1], y, y, 1.08);
      this.corners = corners;
    }

    @Override
    Path2D.Double outline() {
      return cam.polygon(new double[] {corners[0][0], y0, corners[0][1]},
          new double[] {corners[1][0], y0, corners[1][1]},
          new double[] {corners[2][0], y0, corners[2][1]},
          new double[] {corners[3][0], y0, corners[3][1]});
    }
  }

  private void addIfVisible(List<Face> faces, Face.Role role, double[] left, double[] right,
      double nx, double nz, double y0, double y1, double shade) {
    double px = (left[0] + right[0]) / 2;
    double pz = (left[1] + right[1]) / 2;
    // faces whose outward normal points towards the eye (the origin unless posed for video)
    boolean visible = cam.posed() ? nx * (cam.eyeX() - px) + nz * (cam.eyeZ() - pz) > 1e-6
        : nx * (-px) + nz * (-pz) > 1e-6;
    if (visible) {
      faces.add(new Face(role, cam, left[0], left[1], right[0], right[1], y0, y1, shade));
    }
  }

  // ---------------------------------------------------------------- vehicles

  /** Vehicle body styles. */
  enum Body { SEDAN, SUV, HATCH, VAN, TRUCK, BUS, TRAIN, POLICE }

  /**
   * Adds the parts of a road vehicle or train to {@code item}.
   *
   * @param night whether lamps are lit
   */
  void vehicle(Item item, int id, Body body, double x, double z, double yaw, Color paint,
      boolean night, boolean brake) {
    switch (body) {
      case TRUCK -> truck(item, id, x, z, yaw, paint, night);
      case BUS -> bus(item, id, x, z, yaw, paint, night, 12.0, 3.2, 2.55);
      case TRAIN -> train(item, id, x, z, yaw, paint, night);
      default -> car(item, id, body, x, z, yaw, paint, night, brake);
    }
  }

  private void car(Item item, int id, Body body, double x, double z, double yaw, Color paint,
      boolean night, boolean brake) {
    double w;
    double l;
    double h;
    double bodyTop;
    switch (body) {
      case SUV -> { w = 1.9; l = 4.7; h = 1.75; bodyTop = 1.05; }
      case HATCH -> { w = 1.75; l = 4.0; h = 1.5; bodyTop = 0.85; }
      case VAN -> { w = 1.95; l = 5.0; h = 2.1; bodyTop = 1.1; }
      default -> { w = 1.8; l = 4.6; h = 1.45; bodyTop = 0.82; }
    }
    Color glass = new Color(28, 34, 42);
    Color tyre = new Color(18, 18, 18);
    // wheels first: the body hides their upper part
    wheels(item, id, box(x, z, w, l, 0, 0.62, yaw, 0), new double[][] {{0.03, 0.2}, {0.8, 0.97}},
        new double[][] {{0.12, 0.28}, {0.72, 0.88}}, tyre);
    for (Face f : box(x, z, w, l, 0.22, bodyTop, yaw, 0)) {
      item.fill(f.outline(), shade(paint, f.shade), id);
      switch (f.role) {
        case REAR -> {
          item.fill(f.rel(0.0, 1.0, 0.0, 0.22), shade(paint, f.shade * 0.55), id);
          item.fill(f.rel(0.4, 0.6, 0.28, 0.5), new Color(225, 225, 210), id);
          Color tail = brake || night ? new Color(255, 40, 30) : new Color(150, 20, 20);
          // brake lights are on by day too
          lampPair(item, id, f.rel(0.03, 0.2, 0.6, 0.85), f.rel(0.8, 0.97, 0.6, 0.85), tail,
              night || brake, TAIL_LIGHT, cam.scale(z) * 0.5, z, !brake);
        }
        case FRONT -> {
          item.fill(f.rel(0.3, 0.7, 0.25, 0.6), shade(paint, 0.35), id);
          lampPair(item, id, f.rel(0.04, 0.22, 0.55, 0.8), f.rel(0.78, 0.96, 0.55, 0.8),
              new Color(235, 235, 220), night, HEADLIGHT, cam.scale(z) * 1.1, z, true);
        }
        default -> {
          if (f.role != Face.Role.TOP) {
            item.fill(f.rel(0.0, 1.0, 0.35, 0.4), shade(paint, f.shade * 0.8), id);
          }
        }
      }
    }
    double cabinLen = body == Body.VAN ? l * 0.82 : l * 0.52;
    double along = body == Body.VAN ? -0.05 * l : -0.06 * l;
    for (Face f : box(x, z, w * 0.88, cabinLen, bodyTop, h, yaw, along)) {
      item.fill(f.outline(), shade(paint, f.shade * 0.95), id);
      if (f.role == Face.Role.TOP) {
        continue;
      }
      double inset = f.role == Face.Role.FRONT || f.role == Face.Role.REAR ? 0.08 : 0.06;
      item.fill(f.rel(inset, 1 - inset, 0.1, 0.88), glass, id);
    }
  }

  private void truck(Item item, int id, double x, double z, double yaw, Color paint,
      boolean night) {
    Color cargo = mix(paint, new Color(235, 235, 235), 0.6);
    double w = 2.5;
    // Cargo box behind, cab in front: along = -1.2 (cargo) and +3.2 (cab)
    double[][] axles = {{0.05, 0.95}};
    wheels(item, id, box(x, z, w, 9.0, 0, 0.95, yaw, -1.0), axles, axles, new Color(20, 20, 20));
    List<Face> cargoFaces = box(x, z, w, 7.0, 0.9, 3.9, yaw, -2.0);
    List<Face> cabFaces = box(x, z, w * 0.96, 2.2, 0.8, 3.1, yaw, 2.6);
    boolean cabFirst = Math.cos(yaw) < 0 ? false : true;
    List<List<Face>> order = cabFirst ? List.of(cabFaces, cargoFaces) : List.of(cargoFaces, cabFaces);
    for (List<Face> faces : order) {
      boolean isCab = faces == cabFaces;
      for (Face f : faces) {
        Color c = isCab ? paint : cargo;
        item.fill(f.outline(), shade(c, f.shade), id);
        if (!isCab && f.role == Face.Role.REAR) {
          item.fill(f.rel(0.49, 0.51, 0.05, 0.95), shade(cargo, 0.6), id);
          lampPair(item, id, f.rel(0.02, 0.12, 0.0, 0.08), f.rel(0.88, 0.98, 0.0, 0.08),
              new Color(200, 30, 25), night, TAIL_LIGHT, cam.scale(z) * 0.5, z, true);
        }
        if (isCab && f.role == Face.Role.FRONT) {
          item.fill(f.rel(0.08, 0.92, 0.55, 0.92), new Color(30, 36, 44), id);
          item.fill(f.rel(0.25, 0.75, 0.1, 0.4), shade(paint, 0.4), id);
          lampPair(item, id, f.rel(0.03, 0.18, 0.1, 0.22), f.rel(0.82, 0.97, 0.1, 0.22),
              new Color(235, 235, 220), night, HEADLIGHT, cam.scale(z) * 1.2, z, true);
        }
        if (isCab && (f.role == Face.Role.LEFT || f.role == Face.Role.RIGHT)) {
          item.fill(f.rel(0.1, 0.6, 0.55, 0.9), new Color(30, 36, 44), id);
        }
      }
    }
  }

  /**
   * Wheels as dark patches on the faces of the box below a body: at {@code ends} on front and rear,
   * at {@code sides} on the sides (spans of the face width, 0..1), the box's full height.
   */
  private static void wheels(Item item, int id, List<Face> faces, double[][] ends,
      double[][] sides, Color tyre) {
    for (Face f : faces) {
      if (f.role == Face.Role.TOP) {
        continue;
      }
      boolean end = f.role == Face.Role.FRONT || f.role == Face.Role.REAR;
      for (double[] s : end ? ends : sides) {
        item.fill(f.quad(s[0], s[1], f.y0, f.y1), tyre, id);
      }
    }
  }

  private void bus(Item item, int id, double x, double z, double yaw, Color paint, boolean night,
      double l, double h, double w) {
    Color glass = new Color(30, 38, 48);
    wheels(item, id, box(x, z, w, l, 0, 0.7, yaw, 0), new double[][] {{0.04, 0.2}, {0.8, 0.96}},
        new double[][] {{0.1, 0.2}, {0.75, 0.85}}, new Color(15, 15, 15));
    for (Face f : box(x, z, w, l, 0.3, h, yaw, 0)) {
      item.fill(f.outline(), shade(paint, f.shade), id);
      switch (f.role) {
        case FRONT -> {
          item.fill(f.rel(0.05, 0.95, 0.4, 0.92), glass, id);
          lamps(item, f, night, z, true);
        }
        case REAR -> {
          item.fill(f.rel(0.15, 0.85, 0.6, 0.85), glass, id);
          item.fill(f.rel(0.0, 1.0, 0.0, 0.1), shade(paint, 0.5), id);
          lamps(item, f, night, z, false);
        }
        case LEFT, RIGHT -> {
          item.fill(f.rel(0.03, 0.97, 0.5, 0.85), glass, id);
          item.fill(f.rel(0.03, 0.97, 0.38, 0.45), shade(paint, f.shade * 0.7), id);
        }
        default -> { }
      }
    }
  }

  /** Head or tail lights low on a bus or train face. */
  private void lamps(Item item, Face f, boolean night, double z, boolean front) {
    lampPair(item, item.objectId, f.rel(0.04, 0.16, 0.12, 0.22), f.rel(0.84, 0.96, 0.12, 0.22),
        front ? new Color(230, 230, 215) : new Color(170, 25, 20), night,
        front ? HEADLIGHT : TAIL_LIGHT, cam.scale(z) * (front ? 1.2 : 0.5), z, true);
  }

  /**
   * A pair of lamps painted {@code paint} and, if {@code on}, shining {@code light} with a glow
   * of {@code radius} pixels ({@code nightOnly}: not by day).
   */
  private static void lampPair(Item item, int id, Path2D.Double left, Path2D.Double right,
      Color paint, boolean on, Color light, double radius, double z, boolean nightOnly) {
    item.fill(left, paint, id).fill(right, paint, id);
    if (on) {
      item.lights.add(new Item.Light(left, light, radius, z, nightOnly, true));
      item.lights.add(new Item.Light(right, light, radius, z, nightOnly, true));
    }
  }

  private void train(Item item, int id, double x, double z, double yaw, Color paint,
      boolean night) {
    double l = 18;
    double[][] bogies = {{0, 1}};
    wheels(item, id, box(x, z, 2.9, l, 0.0, 0.6, yaw, 0), bogies, bogies, new Color(25, 25, 25));
    Color stripe = paint.getRed() > paint.getBlue() ? new Color(40, 70, 160)
        : new Color(190, 30, 30);
    for (Face f : box(x, z, 2.9, l, 0.55, 3.9, yaw, 0)) {
      Color body = new Color(205, 208, 212);
      item.fill(f.outline(), shade(body, f.shade), id);
      if (f.role == Face.Role.TOP) {
        continue;
      }
      item.fill(f.rel(0, 1, 0.18, 0.28), shade(stripe, f.shade), id);
      if (f.role == Face.Role.LEFT || f.role == Face.Role.RIGHT) {
        for (int i = 0; i < 6; i++) {
          double s0 = 0.03 + i * 0.16;
          item.fill(f.rel(s0, s0 + 0.1, 0.45, 0.75), new Color(35, 42, 52), id);
        }
        item.fill(f.rel(0.47, 0.53, 0.05, 0.8), shade(body, f.shade * 0.75), id);
      } else {
        item.fill(f.rel(0.1, 0.9, 0.5, 0.85), new Color(30, 36, 44), id);
        lamps(item, f, night, z, f.role == Face.Role.FRONT);
      }
    }
  }

  // ---------------------------------------------------------------- people and bikes

  /**
   * A person standing or walking, as billboard parts. {@code seatHeight > 0} makes a rider:
   * legs bent down from the seat.
   */
  void person(Item item, int id, double x, double z, double height, Color shirt, Color trousers,
      Color skin, Color hair, double stride, boolean side, double seatHeight) {
    double s = height / 1.75;
    double torsoW = (side ? 0.26 : 0.4) * s;
    double hip = seatHeight > 0 ? seatHeight : 0.88 * s;
    double shoulder = hip + 0.55 * s;
    double headR = 0.11 * s;
    if (seatHeight > 0) {
      // rider: legs from seat down to pedals, slightly forward
      item.fill(cam.billboard(x - torsoW * 0.45, x - torsoW * 0.05, hip - 0.55 * s, hip, z),
          trousers, id);
      item.fill(cam.billboard(x + torsoW * 0.05, x + torsoW * 0.45, hip - 0.45 * s, hip, z),
          shade(trousers, 0.85), id);
    } else {
      double legW = 0.13 * s;
      double spread = side ? stride * 0.35 * s : 0.06 * s;
      item.fill(legPolygon(x - spread, x - spread - legW + (side ? stride * 0.2 : 0), hip, z, legW),
          trousers, id);
      item.fill(legPolygon(x + spread, x + spread + (side ? -stride * 0.2 : 0), hip, z, legW),
          shade(trousers, 0.85), id);
    }
    item.fill(cam.billboard(x - torsoW / 2, x + torsoW / 2, hip - 0.05 * s, shoulder, z), shirt, id);
    double armW = 0.09 * s;
    if (!side) {
      item.fill(cam.billboard(x - torsoW / 2 - armW, x - torsoW / 2, hip + 0.02 * s,
          shoulder - 0.02 * s, z), shade(shirt, 0.85), id);
      item.fill(cam.billboard(x + torsoW / 2, x + torsoW / 2 + armW, hip + 0.02 * s,
          shoulder - 0.02 * s, z), shade(shirt, 0.85), id);
    }
    item.fill(cam.billboard(x - 0.04 * s, x + 0.04 * s, shoulder, shoulder + 0.06 * s, z), skin, id);
    double hc = shoulder + 0.06 * s + headR;
    double u = cam.u(x, z);
    double v = cam.v(hc, z);
    double r = headR * cam.scale(z);
    item.fill(new Ellipse2D.Double(u - r * 0.85, v - r, r * 1.7, r * 2), skin, id);
    item.fill(new Ellipse2D.Double(u - r * 0.9, v - r * 1.1, r * 1.8, r * 1.1), hair, id);
  }

  private Shape legPolygon(double xTop, double xBottom, double hip, double z, double legW) {
    return cam.polygon(new double[] {xTop - legW / 2, hip, z}, new double[] {xTop + legW / 2, hip, z},
        new double[] {xBottom + legW / 2, 0, z}, new double[] {xBottom - legW / 2, 0, z});
  }

  /**
   * A two-wheeler seen from the side ({@code side}) or from behind/in front. Returns the seat
   * height for a rider.
   */
  double twoWheeler(Item item, int id, double x, double z, boolean motor, boolean side,
      boolean facingLeft, Color paint, boolean night, boolean rear) {
    double k = cam.scale(z);
    double wheelR = motor ? 0.32 : 0.34;
    double wheelBase = motor ? 1.45 : 1.05;
    double seat = motor ? 0.8 : 0.95;
    Color tyre = new Color(20, 20, 20);
    if (side) {
      double dir = facingLeft ? -1 : 1;
      double xr = x - dir * wheelBase / 2;
      double xf = x + dir * wheelBase / 2;
      float stroke = (float) Math.max(1.5, (motor ? 0.12 : 0.05) * k);
      BasicStroke bs = new BasicStroke(stroke);
      for (double wx : new double[] {xr, xf}) {
        double u = cam.u(wx, z);
        double v = cam.v(wheelR, z);
        double r = wheelR * k;
        item.fill(bs.createStrokedShape(new Ellipse2D.Double(u - r, v - r, 2 * r, 2 * r)), tyre, id);
      }
      BasicStroke frame = new BasicStroke((float) Math.max(1.5, (motor ? 0.14 : 0.05) * k));
      double[][] lines = {
          {xr, wheelR, x, wheelR}, {x, wheelR, x - dir * 0.15, seat}, {xr, wheelR, x - dir * 0.15, seat},
          {x - dir * 0.15, seat, xf - dir * 0.1, seat + 0.05}, {xf - dir * 0.1, seat + 0.05, xf, wheelR},
          {x, wheelR, xf - dir * 0.1, seat + 0.05}};
      for (double[] ln : lines) {
        item.fill(frame.createStrokedShape(new Line2D.Double(cam.u(ln[0], z), cam.v(ln[1], z),
            cam.u(ln[2], z), cam.v(ln[3], z))), paint, id);
      }
      if (motor) {
        item.fill(cam.billboard(x - 0.45, x + 0.45, wheelR * 0.8, seat, z), paint, id);
        item.fill(cam.billboard(x - dir * 0.55 - 0.1, x - dir * 0.05 + 0.1, seat - 0.05, seat + 0.08, z),
            new Color(25, 25, 25), id);
      }
    } else {
      double tw = motor ? 0.16 : 0.06;
      item.fill(cam.billboard(x - tw / 2, x + tw / 2, 0, 2 * wheelR, z), tyre, id);
      double bodyW = motor ? 0.55 : 0.1;
      item.fill(cam.billboard(x - bodyW / 2, x + bodyW / 2, wheelR, seat, z), paint, id);
      double bar = motor ? 0.8 : 0.6;
      item.fill(cam.billboard(x - bar / 2, x + bar / 2, seat + 0.15, seat + 0.2, z),
          new Color(40, 40, 40), id);
      if (motor) {
        Path2D.Double lamp = cam.billboard(x - 0.08, x + 0.08, seat - 0.15, seat - 0.05, z);
        Color c = rear ? new Color(220, 30, 25) : new Color(240, 240, 225);
        item.fill(lamp, c, id);
        if (night) {
          item.lights.add(new Item.Light(lamp, rear ? new Color(255, 30, 20)
              : new Color(255, 250, 225), k * (rear ? 0.4 : 0.9), z, true, true));
        }
      }
    }
    return seat;
  }

  // ---------------------------------------------------------------- lights and signs

  /**
   * A traffic light housing with three lamps at height {@code y}; {@code facing} false shows the
   * back of the housing. Returns the lit colour name.
   */
  void trafficLight(Item item, int id, double x, double y, double z, String color, boolean facing,
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
      item.fill(lamp, on ? lit[i] : shade(lit[i], 0.22), id);
      if (on) {
        item.lights.add(new Item.Light(lamp, lit[i], pr * 4, z, false, true));
      }
    }
  }

  /** Sign plate shapes. */
  enum SignShape { CIRCLE, TRIANGLE, RECT, OCTAGON, DIAMOND, WIDE }

  void trafficSign(Item item, int id, double x, double y, double z, double size, SignShape shape,
      Color face, Color border, boolean back) {
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
        inner = cam.billboard(x - size * 0.93, x + size * 0.93, y - size * 0.38, y + size * 0.38, z);
      }
      default -> {
        outer = cam.billboard(x - size * 0.4, x + size * 0.4, y - size / 2, y + size / 2, z);
        inner = cam.billboard(x - size * 0.34, x + size * 0.34, y - size * 0.44, y + size * 0.44, z);
      }
    }
    if (back) {
      item.fill(outer, new Color(150, 152, 155), id);
      return;
    }
    item.fill(outer, border, id);
    item.fill(inner, face, id);
    Color glyph = face.getRed() + face.getGreen() + face.getBlue() > 500 ? new Color(20, 20, 20)
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
