package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Places vehicles: traffic driving in the lanes (cars, trucks, buses, two-wheelers), cars parked
 * along the kerb or standing still, and trains. Vehicles in one lane never overlap: each reserves
 * its stretch of the lane.
 */
final class Traffic extends Placer {
  /** Body styles of parked cars. */
  static final List<Vehicles.Body> PARKED =
      List.of(Vehicles.Body.SEDAN, Vehicles.Body.SUV, Vehicles.Body.HATCH, Vehicles.Body.VAN);

  private static final List<Vehicles.Body> DRIVING =
      List.of(
          Vehicles.Body.SEDAN,
          Vehicles.Body.SEDAN,
          Vehicles.Body.SUV,
          Vehicles.Body.HATCH,
          Vehicles.Body.VAN);
  private static final List<Color> BUSES = Shapes.colours(0xF0BE14, 0xE6E6EB, 0x285AAA, 0xBE2323);

  /** Vehicle kinds of {@link Mix}: car, truck, bus, two-wheeler with its rider. */
  static final int CAR = 0;

  static final int TRUCK = 1;
  static final int BUS = 2;

  /** Occupied depth intervals per lane. */
  private final List<List<double[]>> laneUse = new ArrayList<>();

  Traffic(SceneBuild b) {
    super(b);
    for (int i = 0; i < spec.lanes; i++) {
      laneUse.add(new ArrayList<>());
    }
  }

  /** Reserves [z0, z1] of a lane; false if a vehicle already stands there. */
  boolean reserve(int lane, double z0, double z1) {
    for (double[] r : laneUse.get(lane)) {
      if (z0 < r[1] && z1 > r[0]) {
        return false;
      }
    }
    laneUse.get(lane).add(new double[] {z0, z1});
    return true;
  }

  /**
   * How much traffic a scene has: {@code min..max} vehicles, of which trucks, buses and
   * two-wheelers come with the given probabilities and cars otherwise.
   */
  record Mix(int min, int max, double pTruck, double pBus, double pTwo) {}

  /** Vehicles driving in the lanes up to {@code zMax} (in video: the traffic pass only). */
  void driving(Mix mix, double zMax) {
    int count = rng.range(mix.min(), mix.max());
    if (!b.moving()) {
      return;
    }
    double pTruck = mix.pTruck();
    double pBus = mix.pBus();
    double pTwo = mix.pTwo();
    for (int attempt = 0; attempt < count * 4 && count > 0; attempt++) {
      int lane = rng.range(0, spec.lanes - 1);
      double z = 5 + (zMax - 5) * Math.pow(rng.uniform(0, 1), 1.4);
      int kind = rng.weighted(1 - pTruck - pBus - pTwo, pTruck, pBus, pTwo);
      double len = length(kind);
      if (z - len / 2 < 3.0 || (lane == spec.egoLane && z < 8)) {
        continue;
      }
      if (!reserve(lane, z - len / 2 - 1.5, z + len / 2 + 1.5)) {
        continue;
      }
      count--;
      place(kind, lane, z, len);
    }
  }

  /** Length of a vehicle of {@code kind}, metres. */
  static double length(int kind) {
    return switch (kind) {
      case 1 -> 9.5;
      case 2 -> 12.5;
      case 3 -> 2.2;
      default -> 5.0;
    };
  }

  /**
   * A vehicle of {@code kind} driving in {@code lane} at depth {@code z}, if that stretch of the
   * lane is free (it is then reserved). Returns whether it was placed.
   */
  boolean drive(int kind, int lane, double z) {
    double len = length(kind);
    if (!reserve(lane, z - len / 2 - 1.5, z + len / 2 + 1.5)) {
      return false;
    }
    place(kind, lane, z, len);
    return true;
  }

  /** Builds a vehicle of {@code kind} in its reserved stretch of {@code lane}. */
  private void place(int kind, int lane, double z, double len) {
    boolean oncoming = lane < spec.opposing;
    if (b.video != null) {
      // placed (and reserved) at the clip start; now where its speed has taken it
      z = b.video.vehicleDepth(lane, z, b.nextObjectId());
    }
    double x = road.laneCentre(lane, z) + rng.uniform(-0.35, 0.35);
    double heading = Math.atan(spec.curvature * z);
    double yaw = (oncoming ? Math.PI : 0) + heading + rng.uniform(-0.03, 0.03);
    if (kind == 3) {
      b.people.rider(x, z, rng.chance(0.65), false, oncoming);
      return;
    }
    Vehicles.Body body =
        switch (kind) {
          case 1 -> Vehicles.Body.TRUCK;
          case 2 -> Vehicles.Body.BUS;
          default -> rng.pick(DRIVING);
        };
    String cat = kind == 1 ? "truck" : kind == 2 ? "bus" : "car";
    Item it = b.object(z, cat);
    Color paint = kind == 2 ? rng.pick(BUSES) : Vehicles.carPaint(rng);
    Vehicles.Pose at = new Vehicles.Pose(x, z, yaw);
    b.vehicles.vehicle(it, body, at, paint, lit, !oncoming && rng.chance(0.25));
    shadow(it, x, z, body == Vehicles.Body.BUS ? 2.6 : 2.0, len);
  }

  /** Cars parked along one road edge from z0 to z1, leaving a gap with {@code gapChance}. */
  void parked(int side, double z0, double z1, double gapChance) {
    double z = z0 + rng.uniform(0, 4);
    while (z < z1) {
      double len = 4.6;
      if (!rng.chance(gapChance)) {
        double edge = road.edge(side, z);
        double x = edge + side * rng.uniform(-1.25, -0.95);
        if (b.video != null) {
          // the ego and the traffic drive through the lanes: park beside the road instead
          x = edge + (edge - x);
        }
        Vehicles.Body body = rng.pick(PARKED);
        double yaw =
            (side < 0 && spec.opposing > 0 ? Math.PI : 0)
                + rng.uniform(-0.04, 0.04)
                + Math.atan(spec.curvature * z);
        Item it = standing(z, body, x, z, yaw);
        shadow(it, x, z, 1.9, len);
      }
      z += len + rng.uniform(1.0, 3.5);
    }
  }

  /** A car standing still (parked, at a pump), lights off, at {@code (x, z)}. */
  Item standing(double depth, Vehicles.Body body, double x, double z, double yaw) {
    Item it = b.object(depth, "car");
    Vehicles.Pose at = new Vehicles.Pose(x, z, yaw);
    b.vehicles.vehicle(it, body, at, Vehicles.carPaint(rng), false, false);
    return it;
  }

  /** A train or tram at {@code (x, z)} heading {@code yaw}. */
  void train(double x, double z, double yaw) {
    Item t = b.object(z, "train");
    Vehicles.Pose at = new Vehicles.Pose(x, z, yaw);
    b.vehicles.vehicle(t, Vehicles.Body.TRAIN, at, Vehicles.carPaint(rng), lit, false);
  }

  /** A soft dark patch under a vehicle (colour only: shadows are not part of the box). */
  private void shadow(Item it, double x, double z, double w, double l) {
    if (spec.weather.equals("overcast") || spec.weather.equals("foggy") || b.night) {
      return;
    }
    Path2D.Double s =
        cam.polygon(
            new double[] {x - w / 2 - 0.1, 0, z - l / 2},
            new double[] {x + w / 2 + 0.1, 0, z - l / 2},
            new double[] {x + w / 2 + 0.1, 0, z + l / 2},
            new double[] {x - w / 2 - 0.1, 0, z + l / 2});
    it.parts.add(0, new Item.Part(s, new Color(0, 0, 0, 90), -1, Item.Mode.COLOUR));
  }
}
