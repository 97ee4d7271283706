package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * Builds the parts of vehicles (cars, vans, trucks, buses, trains) from boxes, with their wheels,
 * windows and lamps. Every part carries the object's id, so its visible pixels are its label.
 */
final class Vehicles {
  private static final List<Color> CAR_COLOURS =
      Shapes.colours(
          0xEBEBEB, 0x19191C, 0xA5A8AC, 0x5F6268, 0xA0191C, 0x1E3C8C, 0x141E46, 0x285A32, 0xE6BE1E,
          0x6E4628, 0xC85A1E);

  private static final Color HEADLIGHT = new Color(255, 250, 225);
  private static final Color TAIL_LIGHT = new Color(255, 30, 20);

  /**
   * A kind of lamp: the colour of its glass, the light it gives when on, and the radius of its glow
   * in metres.
   */
  private record Lamp(Color glass, Color light, double glow) {}

  private static final Lamp CAR_HEAD = new Lamp(new Color(235, 235, 220), HEADLIGHT, 1.1);
  private static final Lamp TRUCK_HEAD = new Lamp(new Color(235, 235, 220), HEADLIGHT, 1.2);
  private static final Lamp TRUCK_TAIL = new Lamp(new Color(200, 30, 25), TAIL_LIGHT, 0.5);
  private static final Lamp BUS_HEAD = new Lamp(new Color(230, 230, 215), HEADLIGHT, 1.2);
  private static final Lamp BUS_TAIL = new Lamp(new Color(170, 25, 20), TAIL_LIGHT, 0.5);

  private final Camera cam;
  private final Shapes shapes;

  Vehicles(Camera cam) {
    this.cam = cam;
    this.shapes = new Shapes(cam);
  }

  /** A vehicle paint from the common car colours, a little lighter or darker. */
  static Color carPaint(Rng rng) {
    Color c = rng.pick(CAR_COLOURS);
    return Shapes.shade(c, rng.uniform(0.85, 1.1));
  }

  /** Vehicle body styles. */
  enum Body {
    SEDAN,
    SUV,
    HATCH,
    VAN,
    TRUCK,
    BUS,
    TRAIN,
    POLICE
  }

  /**
   * Where a vehicle stands: the centre of its footprint ({@code x} lateral, {@code z} depth,
   * metres) and its heading ({@code yaw}: 0 drives away from the camera, PI towards it).
   */
  record Pose(double x, double z, double yaw) {}

  /**
   * Adds the parts of a road vehicle or train to {@code item}, each carrying the item's object id.
   *
   * @param night whether lamps are lit
   */
  void vehicle(Item item, Body body, Pose at, Color paint, boolean night, boolean brake) {
    switch (body) {
      case TRUCK -> truck(item, at, paint, night);
      case BUS -> bus(item, at, paint, night, 12.0, 3.2, 2.55);
      case TRAIN -> train(item, at, paint, night);
      default -> car(item, body, at, paint, night, brake);
    }
  }

  /** The visible faces of a box of the vehicle at {@code at} ({@link Shapes#box}). */
  private List<Face> box(Pose at, double w, double l, double y0, double y1, double along) {
    return shapes.box(at.x(), at.z(), w, l, y0, y1, at.yaw(), along);
  }

  /** A car's width, length, roof height and height of the body below the windows, metres. */
  private record CarSize(double w, double l, double h, double bodyTop) {
    static CarSize of(Body body) {
      return switch (body) {
        case SUV -> new CarSize(1.9, 4.7, 1.75, 1.05);
        case HATCH -> new CarSize(1.75, 4.0, 1.5, 0.85);
        case VAN -> new CarSize(1.95, 5.0, 2.1, 1.1);
        default -> new CarSize(1.8, 4.6, 1.45, 0.82);
      };
    }
  }

  private void car(Item item, Body body, Pose at, Color paint, boolean night, boolean brake) {
    int id = item.objectId;
    CarSize size = CarSize.of(body);
    double w = size.w();
    double l = size.l();
    double h = size.h();
    double bodyTop = size.bodyTop();
    Color glass = new Color(28, 34, 42);
    Color tyre = new Color(18, 18, 18);
    // wheels first: the body hides their upper part
    wheels(
        item,
        id,
        box(at, w, l, 0, 0.62, 0),
        new double[][] {{0.03, 0.2}, {0.8, 0.97}},
        new double[][] {{0.12, 0.28}, {0.72, 0.88}},
        tyre);
    for (Face f : box(at, w, l, 0.22, bodyTop, 0)) {
      item.fill(f.outline(), Shapes.shade(paint, f.shade), id);
      switch (f.role) {
        case REAR -> {
          item.fill(f.rel(0.0, 1.0, 0.0, 0.22), Shapes.shade(paint, f.shade * 0.55), id);
          item.fill(f.rel(0.4, 0.6, 0.28, 0.5), new Color(225, 225, 210), id);
          Color tail = brake || night ? new Color(255, 40, 30) : new Color(150, 20, 20);
          // brake lights are on by day too
          Path2D.Double l1 = f.rel(0.03, 0.2, 0.6, 0.85);
          Path2D.Double l2 = f.rel(0.8, 0.97, 0.6, 0.85);
          lampPair(item, l1, l2, new Lamp(tail, TAIL_LIGHT, 0.5), night || brake, at.z(), !brake);
        }
        case FRONT -> {
          item.fill(f.rel(0.3, 0.7, 0.25, 0.6), Shapes.shade(paint, 0.35), id);
          Path2D.Double l1 = f.rel(0.04, 0.22, 0.55, 0.8);
          Path2D.Double l2 = f.rel(0.78, 0.96, 0.55, 0.8);
          lampPair(item, l1, l2, CAR_HEAD, night, at.z(), true);
        }
        default -> {
          if (f.role != Face.Role.TOP) {
            item.fill(f.rel(0.0, 1.0, 0.35, 0.4), Shapes.shade(paint, f.shade * 0.8), id);
          }
        }
      }
    }
    double cabinLen = body == Body.VAN ? l * 0.82 : l * 0.52;
    double along = body == Body.VAN ? -0.05 * l : -0.06 * l;
    for (Face f : box(at, w * 0.88, cabinLen, bodyTop, h, along)) {
      item.fill(f.outline(), Shapes.shade(paint, f.shade * 0.95), id);
      if (f.role == Face.Role.TOP) {
        continue;
      }
      double inset = f.role == Face.Role.FRONT || f.role == Face.Role.REAR ? 0.08 : 0.06;
      item.fill(f.rel(inset, 1 - inset, 0.1, 0.88), glass, id);
    }
  }

  private void truck(Item item, Pose at, Color paint, boolean night) {
    int id = item.objectId;
    Color cargo = Shapes.mix(paint, new Color(235, 235, 235), 0.6);
    double w = 2.5;
    // Cargo box behind, cab in front: along = -1.2 (cargo) and +3.2 (cab)
    double[][] axles = {{0.05, 0.95}};
    wheels(item, id, box(at, w, 9.0, 0, 0.95, -1.0), axles, axles, new Color(20, 20, 20));
    List<Face> cargoFaces = box(at, w, 7.0, 0.9, 3.9, -2.0);
    List<Face> cabFaces = box(at, w * 0.96, 2.2, 0.8, 3.1, 2.6);
    boolean cabFirst = Math.cos(at.yaw()) < 0 ? false : true;
    List<List<Face>> order =
        cabFirst ? List.of(cabFaces, cargoFaces) : List.of(cargoFaces, cabFaces);
    for (List<Face> faces : order) {
      boolean isCab = faces == cabFaces;
      for (Face f : faces) {
        Color c = isCab ? paint : cargo;
        item.fill(f.outline(), Shapes.shade(c, f.shade), id);
        if (!isCab && f.role == Face.Role.REAR) {
          item.fill(f.rel(0.49, 0.51, 0.05, 0.95), Shapes.shade(cargo, 0.6), id);
          Path2D.Double l1 = f.rel(0.02, 0.12, 0.0, 0.08);
          Path2D.Double l2 = f.rel(0.88, 0.98, 0.0, 0.08);
          lampPair(item, l1, l2, TRUCK_TAIL, night, at.z(), true);
        }
        if (isCab && f.role == Face.Role.FRONT) {
          item.fill(f.rel(0.08, 0.92, 0.55, 0.92), new Color(30, 36, 44), id);
          item.fill(f.rel(0.25, 0.75, 0.1, 0.4), Shapes.shade(paint, 0.4), id);
          Path2D.Double l1 = f.rel(0.03, 0.18, 0.1, 0.22);
          Path2D.Double l2 = f.rel(0.82, 0.97, 0.1, 0.22);
          lampPair(item, l1, l2, TRUCK_HEAD, night, at.z(), true);
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
  private static void wheels(
      Item item, int id, List<Face> faces, double[][] ends, double[][] sides, Color tyre) {
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

  private void bus(Item item, Pose at, Color paint, boolean night, double l, double h, double w) {
    int id = item.objectId;
    Color glass = new Color(30, 38, 48);
    wheels(
        item,
        id,
        box(at, w, l, 0, 0.7, 0),
        new double[][] {{0.04, 0.2}, {0.8, 0.96}},
        new double[][] {{0.1, 0.2}, {0.75, 0.85}},
        new Color(15, 15, 15));
    for (Face f : box(at, w, l, 0.3, h, 0)) {
      item.fill(f.outline(), Shapes.shade(paint, f.shade), id);
      switch (f.role) {
        case FRONT -> {
          item.fill(f.rel(0.05, 0.95, 0.4, 0.92), glass, id);
          lamps(item, f, night, at.z(), true);
        }
        case REAR -> {
          item.fill(f.rel(0.15, 0.85, 0.6, 0.85), glass, id);
          item.fill(f.rel(0.0, 1.0, 0.0, 0.1), Shapes.shade(paint, 0.5), id);
          lamps(item, f, night, at.z(), false);
        }
        case LEFT, RIGHT -> {
          item.fill(f.rel(0.03, 0.97, 0.5, 0.85), glass, id);
          item.fill(f.rel(0.03, 0.97, 0.38, 0.45), Shapes.shade(paint, f.shade * 0.7), id);
        }
        default -> {}
      }
    }
  }

  /** Head or tail lights low on a bus or train face. */
  private void lamps(Item item, Face f, boolean night, double z, boolean front) {
    Path2D.Double l1 = f.rel(0.04, 0.16, 0.12, 0.22);
    Path2D.Double l2 = f.rel(0.84, 0.96, 0.12, 0.22);
    lampPair(item, l1, l2, front ? BUS_HEAD : BUS_TAIL, night, z, true);
  }

  /** Two lamps of a face, painted in their glass colour, shining when {@code on}. */
  private void lampPair(
      Item item,
      Path2D.Double left,
      Path2D.Double right,
      Lamp lamp,
      boolean on,
      double z,
      boolean nightOnly) {
    item.fill(left, lamp.glass(), item.objectId).fill(right, lamp.glass(), item.objectId);
    if (on) {
      double radius = cam.scale(z) * lamp.glow();
      item.lights.add(new Item.Light(left, lamp.light(), radius, z, nightOnly, true));
      item.lights.add(new Item.Light(right, lamp.light(), radius, z, nightOnly, true));
    }
  }

  private void train(Item item, Pose at, Color paint, boolean night) {
    int id = item.objectId;
    double l = 18;
    double[][] bogies = {{0, 1}};
    wheels(item, id, box(at, 2.9, l, 0.0, 0.6, 0), bogies, bogies, new Color(25, 25, 25));
    Color stripe =
        paint.getRed() > paint.getBlue() ? new Color(40, 70, 160) : new Color(190, 30, 30);
    for (Face f : box(at, 2.9, l, 0.55, 3.9, 0)) {
      Color body = new Color(205, 208, 212);
      item.fill(f.outline(), Shapes.shade(body, f.shade), id);
      if (f.role == Face.Role.TOP) {
        continue;
      }
      item.fill(f.rel(0, 1, 0.18, 0.28), Shapes.shade(stripe, f.shade), id);
      if (f.role == Face.Role.LEFT || f.role == Face.Role.RIGHT) {
        for (int i = 0; i < 6; i++) {
          double s0 = 0.03 + i * 0.16;
          item.fill(f.rel(s0, s0 + 0.1, 0.45, 0.75), new Color(35, 42, 52), id);
        }
        item.fill(f.rel(0.47, 0.53, 0.05, 0.8), Shapes.shade(body, f.shade * 0.75), id);
      } else {
        item.fill(f.rel(0.1, 0.9, 0.5, 0.85), new Color(30, 36, 44), id);
        lamps(item, f, night, at.z(), f.role == Face.Role.FRONT);
      }
    }
  }
}
