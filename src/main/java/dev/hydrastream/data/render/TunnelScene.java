package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Point2D;

/**
 * Builds tunnels: walls, ceiling and ceiling lights up to a bright exit, through which the outside
 * weather shows; narrow walkways beside two lanes, traffic and maybe a sign.
 */
final class TunnelScene implements SceneBuilder {
  private static final Traffic.Mix TRAFFIC = new Traffic.Mix(1, 5, 0.2, 0.05, 0.02);
  private static final Color WALKWAY = new Color(120, 118, 112);

  @Override
  public void build(SceneBuild b) {
    Rng rng = b.rng;
    Road road = b.road;
    // video: the exit stays zExit ahead (sections stop there), so the scene stays a tunnel
    double zExit = b.layout().uniform(60, 140);
    if (b.roadside()) {
      b.surface.lanes(zExit + 40, true, Road.Crossing.NONE);
      b.surface.verge(1, 0, 1.0, zExit, WALKWAY);
      b.surface.verge(-1, 0, 1.0, zExit, WALKWAY);
      b.scenery.tunnel(zExit);
    }
    b.spec.tunnelExit = zExit;
    if (b.anchored()) {
      Point2D.Double a = b.cam.project(road.leftEdge(zExit) - 1.0, Scenery.TUNNEL_CEILING, zExit);
      Point2D.Double c = b.cam.project(road.rightEdge(zExit) + 1.0, 0, zExit);
      b.spec.exitArea =
          new Rectangle((int) a.x, (int) a.y, (int) (c.x - a.x) + 1, (int) (c.y - a.y) + 1);
    }
    b.traffic.driving(TRAFFIC, Math.min(110, zExit + 20));
    if (rng.chance(0.5) && b.roadside()) {
      b.furniture.signs(1, 10, Math.min(50, zExit - 10), -0.4);
    }
  }
}
