package dev.hydrastream.data.render;

import java.util.List;

/**
 * Builds gas stations: a forecourt beside the road (drivable as an alternative) with a canopy on
 * pillars, pumps and cars at them, a price sign, a shop and a tree line behind. In video a clip
 * passes one station, in {@link #STATION_SECTION}.
 */
final class GasStationScene implements SceneBuilder {
  /** Video: the road section that holds the clip's gas station. */
  static final long STATION_SECTION = 1;

  private static final Traffic.Mix TRAFFIC = new Traffic.Mix(1, 4, 0.1, 0.03, 0.03);
  private static final List<Vehicles.Body> PUMP_CUSTOMERS =
      List.of(Vehicles.Body.SEDAN, Vehicles.Body.SUV, Vehicles.Body.VAN);

  @Override
  public void build(SceneBuild b) {
    int side = b.layout().chance(0.65) ? 1 : -1;
    if (b.roadside()) {
      b.surface.lanes(260, true, Road.Crossing.NONE);
    }
    if (b.anchored()) {
      b.scenery.hills();
    }
    double z0 = b.layout().uniform(10, 30);
    double depth = b.layout().uniform(25, 35);
    double outer = b.layout().uniform(22, 30);
    if (!b.roadside()) {
      b.traffic.driving(TRAFFIC, 100);
      return;
    }
    if (b.video != null) {
      // one station per clip, in the section the ego approaches over the clip
      if (b.video.section == STATION_SECTION) {
        site(b, side, z0, depth, outer);
      }
      b.scenery.treeLine(side, 34, 0, 220);
      b.furniture.signs(b.rng.range(0, 2), 6, 40, 1.0);
      return;
    }
    site(b, side, z0, depth, outer);
  }

  /**
   * The station on {@code side} from z0, {@code depth} long and {@code outer} wide, with its
   * forecourt, pumps and customers; for datasets also the rest of the scene.
   */
  private static void site(SceneBuild b, int side, double z0, double depth, double outer) {
    Rng rng = b.rng;
    Road road = b.road;
    b.ground()
        .fill(
            road.beside(side, 0.0, outer, z0, z0 + depth),
            Shapes.shade(b.spec.palette.asphalt(), 1.15),
            Canvas.ROAD_ALT);
    b.surface.verge(side, 0, 2.0, z0, b.spec.palette.sidewalk());
    double xIn = side > 0 ? road.rightEdge(z0) + 6 : road.leftEdge(z0) - 6 - 14;
    b.scenery.gasStation(side, xIn, z0 + 4, 14, depth - 10);
    if (b.video == null) {
      b.scenery.treeLine(side, 34, z0 + depth + 5, 220);
      b.traffic.driving(TRAFFIC, 100);
    }
    // cars at the pumps
    for (int i = 0; i < 4; i++) {
      if (rng.chance(0.45)) {
        continue;
      }
      double x = xIn + 2.5 + (i % 2) * 8.0 + rng.uniform(-0.3, 0.3);
      double z = z0 + 4 + 4 + (i / 2) * 7.0;
      b.traffic.standing(z, rng.pick(PUMP_CUSTOMERS), x, z, rng.chance(0.5) ? 0 : Math.PI);
    }
    for (int i = rng.range(0, 2); i > 0; i--) {
      b.people.pedestrian(xIn + rng.uniform(0, 14), z0 + rng.uniform(4, 16), rng.chance(0.5));
    }
    if (b.video == null) {
      b.furniture.signs(rng.range(0, 2), 6, 40, 1.0);
    }
  }
}
