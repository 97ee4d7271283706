package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * Builds highways: three to five lanes with shoulders, a concrete median barrier, a guard rail,
 * tree lines and hills, gantries with direction signs, tall lamps and now and then a train
 * alongside.
 */
final class HighwayScene implements SceneBuilder {
  private static final Traffic.Mix TRAFFIC = new Traffic.Mix(4, 11, 0.22, 0.08, 0.04);

  @Override
  public void build(SceneBuild b) {
    Rng rng = b.rng;
    Road road = b.road;
    if (!b.roadside()) {
      if (b.anchored()) {
        b.scenery.hills();
      }
      b.traffic.driving(TRAFFIC, 140);
      return;
    }
    b.surface.lanes(450, true, Road.Crossing.NONE);
    Color shoulder = Shapes.shade(b.spec.palette.asphalt(), 1.12);
    b.surface.verge(1, 0, 2.5, 450, shoulder);
    b.surface.verge(-1, 0, 1.0, 450, shoulder);
    if (b.video == null) {
      b.scenery.hills();
    }
    b.scenery.barrier(-1, 1.0, 350);
    b.scenery.guardRail(1, 2.7, 350);
    b.scenery.treeLine(1, 12, 30, 300);
    if (rng.chance(0.5)) {
      b.scenery.treeLine(-1, 14, 30, 300);
    }
    b.traffic.driving(TRAFFIC, 140);
    if (rng.chance(0.45)) {
      b.furniture.gantry(rng.uniform(35, 90));
    }
    b.furniture.signs(rng.range(0, 2), 15, 90, 3.2);
    for (double z = rng.uniform(10, 40); z < 200; z += 45) {
      b.furniture.lamp(road.leftEdge(z) - 1.0, z, 10, -1, true);
    }
    if (rng.chance(0.25)) {
      double side = rng.chance(0.5) ? 1 : -1;
      double z = rng.uniform(40, 90);
      double x = side * rng.uniform(18, 28) + road.centre(z);
      b.traffic.train(x, z, rng.chance(0.5) ? 0 : Math.PI);
    }
  }
}
