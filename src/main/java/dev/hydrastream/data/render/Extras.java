package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * Class-balanced scene composition for randomized dataset frames: after the scene type's own
 * builder, zero to three groups of the classes a street scene rarely holds (riders on bicycles and
 * motorcycles, parked two-wheelers, buses, trucks, trams and trains, pedestrians, signals), where
 * the scene type has room for them and mostly within 40 m, so that each of these classes gets
 * thousands of instances in a training set, many of them big enough to see. Lanes are reserved
 * through {@link Traffic}, so nothing drives into another vehicle.
 */
final class Extras extends Placer {
  private enum Group {
    BICYCLE_RIDER,
    MOTORCYCLE_RIDER,
    PARKED_BICYCLES,
    PARKED_MOTORCYCLES,
    BUS,
    TRUCK,
    TRAIN,
    PEDESTRIANS,
    SIGNALS
  }

  private static final java.util.List<Color> FRAMES =
      Shapes.colours(0x1E1E1E, 0xC82828, 0x2846A0, 0xE6E6E6, 0x5A8C46, 0xE6AA28);

  Extras(SceneBuild b) {
    super(b);
  }

  /** Adds the frame's extra groups. */
  void add() {
    int groups = rng.weighted(0.15, 0.35, 0.3, 0.2);
    double[] weights = weights(spec.scene);
    for (int i = 0; i < groups; i++) {
      group(Group.values()[rng.weighted(weights)]);
    }
  }

  /** How likely each group is in a scene type (order of {@link Group}). */
  private static double[] weights(String scene) {
    return switch (scene) {
      case "city street" -> new double[] {3, 3, 2, 2, 2, 1, 3, 1, 1.5};
      case "residential" -> new double[] {3, 2, 2, 1.5, 1, 0.5, 1.5, 1, 1};
      case "highway" -> new double[] {0, 3, 0, 0, 2, 1, 3, 0, 0};
      case "parking lot" -> new double[] {1.5, 1, 2, 2, 0, 0, 0, 1, 0};
      case "tunnel" -> new double[] {0, 3, 0, 0, 2, 1.5, 0, 0, 0};
      default -> new double[] {1, 2, 0.5, 1, 1, 1, 0, 1, 0};
    };
  }

  private void group(Group g) {
    switch (g) {
      case BICYCLE_RIDER -> rider(false);
      case MOTORCYCLE_RIDER -> rider(true);
      case PARKED_BICYCLES -> parked(false);
      case PARKED_MOTORCYCLES -> parked(true);
      case BUS -> vehicle(Traffic.BUS);
      case TRUCK -> vehicle(Traffic.TRUCK);
      case TRAIN -> train();
      case PEDESTRIANS -> pedestrians();
      case SIGNALS -> b.furniture.signals(new Road.Crossing(rng.uniform(8, 30), 10));
    }
  }

  /** A near depth: most within 25 m, a few up to 60 m. */
  private double near(double min) {
    return min + 50 * Math.pow(rng.uniform(0, 1), 1.8);
  }

  /** A rider in a lane (or at the kerb, seen from the side as it crosses). */
  private void rider(boolean motor) {
    double z = near(6);
    boolean crossing = rng.chance(0.2) && !spec.scene.equals("highway");
    if (crossing) {
      for (int lane = 0; lane < spec.lanes; lane++) {
        if (!b.traffic.reserve(lane, z - 1.5, z + 1.5)) {
          return;
        }
      }
      double x = rng.uniform(road.leftEdge(z), road.rightEdge(z));
      b.people.rider(x, z, motor, true, false);
      return;
    }
    int lane = rng.range(0, spec.lanes - 1);
    if (lane == spec.egoLane && z < 8) {
      return;
    }
    if (!b.traffic.reserve(lane, z - 2, z + 2)) {
      return;
    }
    double x = road.laneCentre(lane, z) + rng.uniform(-0.8, 0.8);
    b.people.rider(x, z, motor, false, lane < spec.opposing);
  }

  /** A row of one to four parked bicycles or motorcycles beside the road. */
  private void parked(boolean motor) {
    int side = rng.chance(0.6) ? 1 : -1;
    double z = near(4);
    boolean seenFromSide = rng.chance(0.6);
    int n = rng.range(1, 4);
    double gap = seenFromSide ? rng.uniform(0.5, 0.9) : rng.uniform(0.9, 1.6);
    double out = rng.uniform(0.5, 2.0);
    for (int i = 0; i < n; i++) {
      double zi = z + i * (seenFromSide ? gap : 0.3);
      double x = road.edge(side, zi) + side * (out + (seenFromSide ? 0 : i * gap));
      Item it = b.object(zi, motor ? "motorcycle" : "bicycle");
      Color paint = motor ? Vehicles.carPaint(rng) : rng.pick(FRAMES);
      b.figures.twoWheeler(
          it, it.objectId, x, zi, motor, seenFromSide, rng.chance(0.5), paint, false, false);
    }
  }

  /** A bus or truck in a free stretch of some lane. */
  private void vehicle(int kind) {
    for (int attempt = 0; attempt < 4; attempt++) {
      int lane = rng.range(0, spec.lanes - 1);
      double z = near(Traffic.length(kind) / 2 + 4);
      if (lane == spec.egoLane && z < 12) {
        continue;
      }
      if (b.traffic.drive(kind, lane, z)) {
        return;
      }
    }
  }

  /** A tram in the outer lane (streets) or a train beside the road (highways). */
  private void train() {
    if (spec.scene.equals("highway")) {
      double side = rng.chance(0.5) ? 1 : -1;
      double z = rng.uniform(15, 60);
      double x = (side > 0 ? road.rightEdge(z) : road.leftEdge(z)) + side * rng.uniform(8, 16);
      b.traffic.train(x, z, rng.chance(0.5) ? 0 : Math.PI);
      return;
    }
    int lane = spec.opposing > 0 ? 0 : spec.lanes - 1;
    double z = rng.uniform(15, 50);
    if (lane != spec.egoLane && b.traffic.reserve(lane, z - 10, z + 10)) {
      b.traffic.train(road.laneCentre(lane, z), z, lane < spec.opposing ? Math.PI : 0);
    } else if (rng.chance(0.5)) {
      // across the road, as at a tram crossing
      for (int k = 0; k < spec.lanes; k++) {
        if (!b.traffic.reserve(k, z - 2, z + 2)) {
          return;
        }
      }
      b.traffic.train(rng.uniform(-6, 6), z, Math.PI / 2);
    }
  }

  /** Two to five pedestrians near the camera, beside the road. */
  private void pedestrians() {
    int n = rng.range(2, 5);
    for (int i = 0; i < n; i++) {
      int side = rng.chance(0.5) ? 1 : -1;
      double z = near(4);
      double x = road.edge(side, z) + side * rng.uniform(0.4, 3.0);
      b.people.pedestrian(x, z, rng.chance(0.25));
    }
  }
}
