package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * Builds city streets: facades with windows and shops behind sidewalks, a skyline at the far end,
 * intersections with signals and crosswalks, parked cars, walkers, riders and trams.
 */
final class CityScene implements SceneBuilder {
  private static final Traffic.Mix TRAFFIC = new Traffic.Mix(3, 9, 0.08, 0.12, 0.1);

  @Override
  public void build(SceneBuild b) {
    Rng rng = b.rng;
    Road road = b.road;
    double sidewalk = b.layout().uniform(2.5, 4.5);
    Road.Crossing crossing = b.crossing(16, 45, 10, 16);
    if (b.roadside()) {
      b.surface.lanes(260, true, crossing);
      Color walk = b.spec.palette.sidewalk();
      b.surface.verge(1, 0, sidewalk, 260, walk);
      b.surface.verge(-1, 0, sidewalk, 260, walk);
      b.surface.curb(1, 260);
      b.surface.curb(-1, 260);
      for (int side : new int[] {-1, 1}) {
        b.scenery.facades(side, sidewalk, crossing, 220, 6, 42);
      }
    }
    if (b.anchored()) {
      b.scenery.skyline(180, 250, 20, 70);
    }
    if (!b.roadside()) {
      b.traffic.driving(TRAFFIC, 110);
      return;
    }
    if (crossing.exists()) {
      b.furniture.signals(crossing);
    } else if (rng.chance(0.35)) {
      // signals at a crossing beyond the scene's end
      b.furniture.signals(new Road.Crossing(rng.uniform(60, 90), 12));
    }
    b.traffic.driving(TRAFFIC, 110);
    if (rng.chance(0.6)) {
      b.traffic.parked(1, 4, 60, 0.3);
    }
    if (b.spec.opposing > 0 && rng.chance(0.4)) {
      b.traffic.parked(-1, 6, 60, 0.4);
    }
    b.people.onSidewalks(rng.range(2, 10), 0.0, sidewalk, 60);
    if (crossing.exists() && rng.chance(0.6)) {
      int n = rng.range(1, 4);
      for (int i = 0; i < n; i++) {
        double z = crossing.z() - rng.uniform(1.2, 3.5);
        // video: the ego drives through the crossing, so they wait at the kerb
        double x =
            b.video == null
                ? rng.uniform(road.leftEdge(z), road.rightEdge(z))
                : rng.chance(0.5) ? road.leftEdge(z) - 0.6 : road.rightEdge(z) + 0.6;
        b.people.pedestrian(x, z, true);
      }
    }
    // video leaves out things standing in the ego's way (a rider crossing, a tram in a lane)
    if (crossing.exists() && rng.chance(0.3) && b.video == null) {
      b.people.rider(rng.uniform(-8, 8), crossing.middle(), rng.chance(0.4), true, false);
    }
    if (rng.chance(0.3) && b.video == null) {
      tram(b, crossing);
    }
    b.furniture.signs(rng.range(1, 4), 8, 70, sidewalk * 0.35);
    for (double z = rng.uniform(6, 20); z < 120; z += rng.uniform(22, 35)) {
      b.furniture.lamp(road.rightEdge(z) + 0.6, z, 8, 1, true);
      if (rng.chance(0.5)) {
        b.furniture.lamp(road.leftEdge(z) - 0.6, z, 8, -1, true);
      }
    }
  }

  /** A tram through the intersection, or along the outer lane if it is free. */
  private static void tram(SceneBuild b, Road.Crossing crossing) {
    Rng rng = b.rng;
    if (crossing.exists() && rng.chance(0.5)) {
      b.traffic.train(rng.uniform(-6, 6), crossing.middle(), Math.PI / 2);
      return;
    }
    int lane = b.spec.opposing > 0 ? 0 : b.spec.lanes - 1;
    double z = rng.uniform(25, 80);
    if (b.traffic.reserve(lane, z - 10, z + 10)) {
      b.traffic.train(b.road.laneCentre(lane, z), z, lane < b.spec.opposing ? Math.PI : 0);
    }
  }
}
