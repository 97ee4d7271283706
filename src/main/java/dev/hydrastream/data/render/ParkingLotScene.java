package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * Builds parking lots: a paved lot of drivable aisles between rows of stalls with painted lines
 * (not lane markings), cars parked across the stalls, a cross aisle, light poles and a storefront
 * across the far end.
 */
final class ParkingLotScene implements SceneBuilder {
  /** Depth of a stall, metres. */
  private static final double STALL = 5.2;

  /** Width of a stall, metres: video sections are a whole number of stalls long. */
  private static final double STALL_WIDTH = 2.7;

  @Override
  public void build(SceneBuild b) {
    Rng rng = b.rng;
    Road road = b.road;
    Item g = b.ground();
    Color asphalt = b.spec.palette.asphalt();
    // the whole lot is paved; aisles are drivable, stalls are not
    Color stalls =
        b.spec.weather.equals("snowy") ? b.spec.palette.terrain() : Shapes.shade(asphalt, 1.05);
    if (b.roadside()) {
      g.fill(road.strip(z -> -90, z -> 90, 0.5, 140), stalls, Canvas.PAVEMENT);
    }
    double aisle = b.layout().uniform(6.0, 7.0);
    double offset = b.layout().uniform(-1.0, 1.0);
    double pitch = aisle + 2 * STALL;
    double crossZ = rng.uniform(30, 60);
    if (b.roadside()) {
      g.fill(road.strip(z -> -90, z -> 90, crossZ, crossZ + 7), asphalt, Canvas.ROAD_ALT);
      for (int k = -3; k <= 3; k++) {
        double xc = offset + k * pitch;
        int id = k == 0 ? Canvas.ROAD_DIRECT : Canvas.ROAD_ALT;
        g.fill(road.strip(z -> xc - aisle / 2, z -> xc + aisle / 2, 0.5, 140), asphalt, id);
      }
      if (!b.canvas.flat) {
        stallLines(b, g, aisle, offset, pitch, crossZ);
      }
    }
    double storeZ = rng.uniform(110, 140);
    if (b.anchored()) {
      b.scenery.storefront(storeZ);
    }
    if (!b.roadside()) {
      return;
    }
    parkedCars(b, aisle, offset, pitch, crossZ);
    for (int i = rng.range(0, 4); i > 0; i--) {
      double z = rng.uniform(5, 40);
      double x = offset + rng.uniform(-aisle, aisle);
      if (b.video != null) {
        // out of the ego's aisle: walking along the parked cars
        x = offset + Math.copySign(aisle / 2 + 0.6, x - offset);
      }
      b.people.pedestrian(x, z, rng.chance(0.5));
    }
    // a car driving down the ego's aisle (not in video: the ego drives there)
    if (rng.chance(0.4) && b.video == null) {
      double z = rng.uniform(15, 40);
      Item it = b.object(z, "car");
      Vehicles.Pose at =
          new Vehicles.Pose(offset + rng.uniform(-1, 1), z, rng.chance(0.5) ? 0 : Math.PI);
      b.vehicles.vehicle(it, Vehicles.Body.SEDAN, at, Vehicles.carPaint(rng), b.lit, true);
    }
    for (int k = -2; k <= 2; k++) {
      for (double z = 12; z < 100; z += 30) {
        b.furniture.lamp(offset + k * pitch + aisle / 2 + STALL * 2, z, 9, 1, false);
      }
    }
    b.furniture.signs(rng.range(0, 2), 6, 30, 0.5);
  }

  /** Whether depth z lies in the cross aisle (no stalls there). */
  private static boolean crossAisle(double z, double crossZ) {
    return z > crossZ - 1 && z < crossZ + 8;
  }

  /** The stall lines of both rows on each side of every aisle: colour only. */
  private static void stallLines(
      SceneBuild b, Item g, double aisle, double offset, double pitch, double crossZ) {
    Color paint = b.spec.palette.paint();
    for (int k = -3; k <= 3; k++) {
      double xc = offset + k * pitch;
      for (int side : new int[] {-1, 1}) {
        double x0 = xc + side * aisle / 2;
        double x1 = xc + side * (aisle / 2 + 2 * STALL);
        for (double z = 2; z < 110; z += STALL_WIDTH) {
          if (crossAisle(z, crossZ)) {
            continue;
          }
          g.colour(b.road.strip(q -> Math.min(x0, x1), q -> Math.max(x0, x1), z, z + 0.12), paint);
        }
      }
    }
  }

  /** Cars in the stalls of the three middle aisles, perpendicular to the aisle. */
  private static void parkedCars(
      SceneBuild b, double aisle, double offset, double pitch, double crossZ) {
    Rng rng = b.rng;
    double fill = rng.uniform(0.2, 0.6);
    for (int k = -1; k <= 1; k++) {
      double xc = offset + k * pitch;
      for (int side : new int[] {-1, 1}) {
        for (int row = 0; row < 2; row++) {
          double x = xc + side * (aisle / 2 + STALL / 2 + row * STALL);
          for (double z = 3.35; z < 60; z += STALL_WIDTH) {
            if (crossAisle(z, crossZ)) {
              continue;
            }
            if (!rng.chance(fill) || Math.abs(x) / z > 2.5 && z < 4) {
              continue;
            }
            Vehicles.Body body = rng.pick(Traffic.PARKED);
            double yaw = side * Math.PI / 2 * (row == 0 ? 1 : -1) + rng.uniform(-0.06, 0.06);
            b.traffic.standing(Math.hypot(x, z), body, x, z + 1.35, yaw);
          }
        }
      }
    }
  }
}
