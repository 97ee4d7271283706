package dev.hydrastream.data.render;

import java.awt.Color;
import java.util.List;

/**
 * Places people: pedestrians on sidewalks and crossings (adults and children), bicycles parked on
 * the sidewalk, and riders on bicycles and motorcycles (rider and vehicle are two labels).
 */
final class People extends Placer {
  private static final List<Color> SHIRTS =
      List.of(
          new Color(200, 40, 40),
          new Color(40, 70, 160),
          new Color(230, 230, 230),
          new Color(30, 30, 30),
          new Color(90, 140, 70),
          new Color(230, 170, 40),
          new Color(120, 60, 130),
          new Color(150, 110, 80),
          new Color(60, 160, 190));
  private static final List<Color> TROUSERS =
      List.of(
          new Color(40, 45, 70),
          new Color(30, 30, 30),
          new Color(110, 100, 90),
          new Color(70, 80, 110),
          new Color(160, 150, 130));
  private static final List<Color> SKIN =
      List.of(
          new Color(240, 200, 170),
          new Color(200, 150, 110),
          new Color(140, 95, 65),
          new Color(90, 60, 40));
  private static final List<Color> HAIR =
      List.of(
          new Color(25, 20, 15),
          new Color(90, 60, 30),
          new Color(200, 170, 100),
          new Color(130, 130, 130),
          new Color(60, 40, 25));
  private static final Color HELMET = new Color(30, 30, 30);

  People(SceneBuild b) {
    super(b);
  }

  /** A pedestrian at {@code (x, z)}; {@code crossing} ones are seen from the side. */
  void pedestrian(double x, double z, boolean crossing) {
    Item it = b.object(z, "pedestrian");
    double h = rng.uniform(1.5, 1.92);
    if (rng.chance(0.1)) {
      h = rng.uniform(1.05, 1.35);
    }
    Color shirt = rng.pick(SHIRTS);
    Color trousers = rng.pick(TROUSERS);
    Color skin = rng.pick(SKIN);
    Color hair = rng.pick(HAIR);
    double stride = rng.uniform(0.2, 1.0);
    boolean side = crossing || rng.chance(0.3);
    if (b.video != null && !side) {
      // seen from front or back: walking along the road
      z = b.video.walkerDepth(z, it.objectId);
      it.depth = z;
    }
    b.figures.person(it, it.objectId, x, z, h, shirt, trousers, skin, hair, stride, side, 0);
  }

  /**
   * {@code count} pedestrians (and now and then a parked bicycle) on the sidewalks, which start
   * {@code innerOffset} beyond the road edge and are {@code width} wide, up to {@code zMax}.
   */
  void onSidewalks(int count, double innerOffset, double width, double zMax) {
    for (int i = 0; i < count; i++) {
      int side = rng.chance(0.5) ? 1 : -1;
      double z = rng.uniform(4, zMax);
      double edge = road.edge(side, z);
      double x = edge + side * (innerOffset + rng.uniform(0.3, Math.max(0.4, width - 0.3)));
      if (rng.chance(0.12)) {
        Item bike = b.object(z + 0.05, "bicycle");
        b.figures.twoWheeler(
            bike,
            bike.objectId,
            x,
            z + 0.05,
            false,
            true,
            rng.chance(0.5),
            rng.pick(SHIRTS),
            false,
            false);
      } else {
        pedestrian(x, z, false);
      }
    }
  }

  /** A bicycle or motorcycle with its rider: two labels, rider drawn in front. */
  void rider(double x, double z, boolean motor, boolean side, boolean oncoming) {
    Item bike = b.object(z + 0.02, motor ? "motorcycle" : "bicycle");
    double seat =
        b.figures.twoWheeler(
            bike,
            bike.objectId,
            x,
            z + 0.02,
            motor,
            side,
            rng.chance(0.5),
            motor ? Vehicles.carPaint(rng) : rng.pick(SHIRTS),
            lit,
            !oncoming);
    Item person = b.object(z, "rider");
    b.figures.person(
        person,
        person.objectId,
        x,
        z,
        rng.uniform(1.6, 1.85),
        rng.pick(SHIRTS),
        rng.pick(TROUSERS),
        rng.pick(SKIN),
        motor ? HELMET : rng.pick(HAIR),
        0.3,
        side,
        seat + 0.05);
  }
}
