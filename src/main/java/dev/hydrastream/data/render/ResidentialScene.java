package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * Builds residential streets: one or two lanes (not always marked), lawns and sidewalks, houses
 * with pitched roofs set back from the road, street trees, parked cars and a few walkers.
 */
final class ResidentialScene implements SceneBuilder {
  private static final Traffic.Mix TRAFFIC = new Traffic.Mix(0, 3, 0.05, 0.02, 0.08);

  @Override
  public void build(SceneBuild b) {
    Rng rng = b.rng;
    Road road = b.road;
    double sidewalk = b.layout().uniform(1.4, 2.0);
    double lawn = b.layout().uniform(3, 7);
    Road.Crossing crossing = b.crossing(20, 50, 8, 11);
    if (!b.roadside()) {
      if (b.anchored()) {
        b.scenery.hills();
      }
      b.traffic.driving(TRAFFIC, 90);
      return;
    }
    b.surface.lanes(250, b.spec.markings, crossing);
    // the sidewalk lies beyond a strip of lawn
    Color walk = b.spec.palette.sidewalk();
    b.surface.pavement(
        z -> road.rightEdge(z) + 0.3 + lawn * 0.25,
        z -> road.rightEdge(z) + 0.3 + lawn * 0.25 + sidewalk,
        0.5,
        250,
        walk);
    b.surface.pavement(
        z -> road.leftEdge(z) - 0.3 - lawn * 0.25 - sidewalk,
        z -> road.leftEdge(z) - 0.3 - lawn * 0.25,
        0.5,
        250,
        walk);
    b.surface.curb(1, 250);
    b.surface.curb(-1, 250);
    if (b.video == null) {
      b.scenery.hills();
    }
    for (int side : new int[] {-1, 1}) {
      b.scenery.houses(side, lawn + sidewalk + 3, crossing, 160);
      b.scenery.trees(side, 0.6, lawn * 0.2, 4, 120);
    }
    b.traffic.driving(TRAFFIC, 90);
    b.traffic.parked(1, 5, 70, 0.55);
    if (rng.chance(0.5)) {
      b.traffic.parked(-1, 5, 70, 0.6);
    }
    b.people.onSidewalks(rng.range(0, 4), 0.3 + lawn * 0.25, sidewalk, 50);
    if (rng.chance(0.25) && b.video == null) {
      double z = rng.uniform(8, 35);
      b.people.rider(road.rightEdge(z) - 0.8, z, false, false, false);
    }
    if (crossing.exists() && rng.chance(0.3)) {
      b.furniture.signals(crossing);
    }
    b.furniture.signs(rng.range(1, 3), 6, 50, 0.6 + lawn * 0.25);
    if (rng.chance(0.08) && crossing.exists() && b.video == null) {
      b.traffic.train(rng.uniform(-5, 5), crossing.middle(), Math.PI / 2);
    }
    for (double z = rng.uniform(8, 25); z < 120; z += rng.uniform(30, 45)) {
      b.furniture.lamp(road.rightEdge(z) + 0.5, z, 6.5, 1, rng.chance(0.5));
    }
  }
}
